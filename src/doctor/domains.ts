// Organizational domains and DMARC identifier alignment (RFC 7489 §3.1, §3.2).
//
// RFC 7489 §3.2 finds the organizational domain with a public suffix list. The doctor uses a
// deliberately small rule instead of shipping the whole list: the registrable domain is the last
// two labels, or the last three when the last two are a known second-level public suffix (the
// Japanese `co.jp`/`ne.jp`/… family and the common `co.uk`-style ones below). A domain under a
// suffix missing here is treated as its last two labels, which can only make relaxed alignment
// stricter than a receiver's (a false "not aligned"), never looser.

const SECOND_LEVEL_SUFFIXES = new Set([
  // JPRS: attribute-type JP domains (and the "gr", "lg" and "ed" families).
  'co.jp', 'ne.jp', 'or.jp', 'ac.jp', 'ad.jp', 'ed.jp', 'go.jp', 'gr.jp', 'lg.jp',
  'co.uk', 'org.uk', 'ac.uk', 'gov.uk', 'me.uk', 'ltd.uk', 'plc.uk',
  'com.au', 'net.au', 'org.au', 'edu.au', 'gov.au',
  'co.nz', 'org.nz', 'co.kr', 'or.kr', 'com.cn', 'net.cn', 'org.cn', 'com.tw', 'org.tw',
  'com.hk', 'com.sg', 'com.br', 'co.in', 'co.za', 'com.mx',
]);

export function normalizeDomain(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

export function domainOfAddress(address: string): string {
  const at = address.lastIndexOf('@');
  return normalizeDomain(at >= 0 ? address.slice(at + 1) : address);
}

export function organizationalDomain(name: string): string {
  const labels = normalizeDomain(name).split('.');
  if (labels.length <= 2) return labels.join('.');
  const lastTwo = labels.slice(-2).join('.');
  return labels.slice(SECOND_LEVEL_SUFFIXES.has(lastTwo) ? -3 : -2).join('.');
}

/** RFC 7489 §3.1.1/§3.1.2: strict = identical, relaxed = same organizational domain. */
export function aligned(identifier: string, fromDomain: string, mode: 'r' | 's'): boolean {
  const a = normalizeDomain(identifier);
  const b = normalizeDomain(fromDomain);
  if (mode === 's') return a === b;
  return organizationalDomain(a) === organizationalDomain(b);
}

/** Is `name` the domain or one of its subdomains? */
export function isWithin(name: string, domain: string): boolean {
  const n = normalizeDomain(name);
  const d = normalizeDomain(domain);
  return n === d || n.endsWith(`.${d}`);
}
