// SPF records todoku asks the operator to publish (RFC 7208): the terms that authorise
// todoku's senders, and merging them into a record that already exists — a name may have
// only one SPF record (§3.2: two is a permerror) and at most 10 DNS lookups (§4.6.4).
import net from 'node:net';

export const MAX_SPF_LOOKUPS = 10;

const MECHANISM_RE = /^(include|ip4|ip6|a|mx|exists|ptr):/i;

/**
 * Turns TODOKU_SENDING_IPS entries into SPF terms: an IPv4/IPv6 address or CIDR becomes
 * ip4:/ip6:, an explicit mechanism (`include:relay.example`) is kept, a bare domain name
 * becomes include: (a relay's published SPF).
 */
export function spfTermsFor(sendingIps: string[]): string[] {
  const terms: string[] = [];
  for (const raw of sendingIps) {
    const entry = raw.trim();
    if (entry === '') continue;
    const address = entry.split('/')[0]!;
    let term: string;
    if (net.isIPv4(address)) term = `ip4:${entry}`;
    else if (net.isIPv6(address)) term = `ip6:${entry.toLowerCase()}`;
    else if (MECHANISM_RE.test(entry)) term = entry.replace(MECHANISM_RE, (m) => m.toLowerCase());
    else term = `include:${entry.toLowerCase()}`;
    if (!terms.some((t) => sameTerm(t, term))) terms.push(term);
  }
  return terms;
}

export function isSpfRecord(txt: string): boolean {
  // RFC 7208 §4.5: the record starts with exactly "v=spf1" followed by a space or its end.
  return /^v=spf1(\s|$)/i.test(txt.trim());
}

function stripQualifier(term: string): string {
  return term.replace(/^\+/, '').toLowerCase();
}

function sameTerm(a: string, b: string): boolean {
  return stripQualifier(a) === stripQualifier(b);
}

/** RFC 7208 §4.6.4: include, a, mx, ptr, exists and redirect each cost a DNS lookup. */
export function countLookups(record: string): number {
  return record
    .trim()
    .split(/\s+/)
    .slice(1)
    .filter((t) => /^[+\-~?]?(include|a|mx|ptr|exists)(?=$|[:/])/i.test(t) || /^redirect=/i.test(t)).length;
}

/** True when every term appears in the record (qualifier `+` or none). */
export function authorisesAll(record: string, terms: string[]): boolean {
  const present = record.trim().split(/\s+/).slice(1);
  return terms.every((t) => present.some((p) => sameTerm(p, t)));
}

export function freshSpf(terms: string[], all: '-all' | '~all'): string {
  return ['v=spf1', ...terms, all].join(' ');
}

export interface SpfMerge {
  record: string;
  /** Terms that were not there before. */
  added: string[];
  lookups: number;
}

/**
 * Adds the missing terms before the record's `all` (or `redirect=`), so they are
 * evaluated before the record's verdict for everyone else; everything else stays as it was.
 */
export function mergeSpf(existing: string, terms: string[]): SpfMerge {
  const tokens = existing.trim().split(/\s+/);
  const added = terms.filter((t) => !tokens.slice(1).some((p) => sameTerm(p, t)));
  let at = tokens.findIndex((t, i) => i > 0 && (/^[+\-~?]?all$/i.test(t) || /^redirect=/i.test(t)));
  if (at < 0) at = tokens.length;
  const merged = [...tokens.slice(0, at), ...added, ...tokens.slice(at)].join(' ');
  return { record: merged, added, lookups: countLookups(merged) };
}
