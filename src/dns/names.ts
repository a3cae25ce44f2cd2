// Domain names as people type them and as the DNS carries them. An internationalised name
// (IDNA 2008, RFC 5890/5891) is typed in Unicode (例え.jp) or as its A-label (xn--r8jz45g.jp);
// the DNS, SPF, DKIM and DMARC all work on the A-label, and `todoku domain add` stores it.
// node:url's domainToASCII applies UTS #46 processing (the WHATWG URL host parser): case and
// width folding (ＥＸＡＭＰＬＥ.jp → example.jp), then Punycode (RFC 3492).
import { domainToASCII, domainToUnicode } from 'node:url';

/** LDH host names (RFC 1123 §2.1, RFC 1035 §2.3.4 lengths) with at least two labels; the last not all digits (RFC 3696 §2). */
const HOST_RE = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?=[a-z0-9-]*[a-z-])[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * The A-label form of a host name typed in Unicode or ASCII, lower-case, without the root dot;
 * undefined when it is not a host name — including an "xn--" label that is not valid Punycode
 * (it must come back unchanged from Unicode, RFC 5891 §5.4).
 */
export function asciiHostName(name: string): string | undefined {
  const trimmed = name.trim().replace(/\.$/, '');
  if (trimmed === '' || /[\s\u0000-\u001f]/.test(trimmed)) return undefined;
  const ascii = domainToASCII(trimmed.toLowerCase());
  if (ascii === '' || !HOST_RE.test(ascii)) return undefined;
  if (/(^|\.)xn--/.test(ascii) && domainToASCII(domainToUnicode(ascii)) !== ascii) return undefined;
  return ascii;
}

/** The Unicode form of an A-label name (U-labels, RFC 5890 §2.3.2.1); the name itself when it has none. */
export function unicodeHostName(ascii: string): string {
  if (!/(^|\.)xn--/i.test(ascii)) return ascii;
  return domainToUnicode(ascii) || ascii;
}
