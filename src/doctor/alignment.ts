// Organizational domains and DMARC identifier alignment (RFC 7489 §3.1, §3.2).
//
// RFC 7489 §3.2 finds the organizational domain with a public suffix list: the registrable
// domain is the public suffix plus one label. The list is the Public Suffix List through tldts,
// read the way mailauth reads it (lib/tools.js TLDTS_OPTS, getAlignment): ICANN and private
// sections both, the name converted to ASCII (punycode) first, and a name that has no
// registrable domain (a public suffix itself, an IP, a single label) is its own organizational
// domain. The doctor's prediction of DMARC then agrees with the DMARC result a receiver running
// mailauth computes — tests/unit/doctor/alignment.test.ts holds them side by side.
//
// A hand-made list cannot do this: `kyoto.jp` is a public suffix (JPRS geographic-type names),
// so `bounce.evil.kyoto.jp` and `shop.kyoto.jp` are two organisations, not one.
import { domainToASCII } from 'node:url';
import { getDomain } from 'tldts';

/** mailauth's TLDTS_OPTS: the whole list, ICANN and private sections (e.g. github.io). */
const PSL_OPTIONS = { allowIcannDomains: true, allowPrivateDomains: true } as const;

/**
 * Lower-case, no root dot, and an internationalised name as its A-label (RFC 5890): the DNS
 * and `todoku domain add` know 例え.jp as xn--r8jz45g.jp (issue 13 #16). An ASCII name is only
 * folded, so names that are not host names (_dmarc.…, selectors) pass through.
 */
export function normalizeDomain(name: string): string {
  const folded = name.trim().toLowerCase().replace(/\.$/, '');
  return /[^\x00-\x7f]/.test(folded) ? domainToASCII(folded) || folded : folded;
}

export function domainOfAddress(address: string): string {
  const at = address.lastIndexOf('@');
  return normalizeDomain(at >= 0 ? address.slice(at + 1) : address);
}

/** The A-label form (RFC 5890) that DNS and the PSL comparison use; unchanged when it is not a valid IDN. */
function asciiDomain(name: string): string {
  const normalized = normalizeDomain(name);
  return domainToASCII(normalized) || normalized;
}

/** RFC 7489 §3.2: the registrable domain under the Public Suffix List, in ASCII. */
export function organizationalDomain(name: string): string {
  const ascii = asciiDomain(name);
  return getDomain(ascii, PSL_OPTIONS) ?? ascii;
}

/** RFC 7489 §3.1.1/§3.1.2: strict = identical, relaxed = same organizational domain. */
export function aligned(identifier: string, fromDomain: string, mode: 'r' | 's'): boolean {
  if (mode === 's') return asciiDomain(identifier) === asciiDomain(fromDomain);
  return organizationalDomain(identifier) === organizationalDomain(fromDomain);
}
