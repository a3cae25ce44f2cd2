// Validation of the configuration values that name hosts and networks. Each check answers the
// problem in words (loadConfig prefixes the variable's name) or undefined when the value is good:
// a value that would end up in a DNS record or an access decision is refused at start-up, not
// printed wrong later.
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';

/** `address` or `address/prefix`, the prefix within the family's length. */
function cidrProblem(value: string, family?: 4 | 6, entry = value): string | undefined {
  const slash = value.indexOf('/');
  const address = slash === -1 ? value : value.slice(0, slash);
  const version = isIP(address);
  if (version === 0) return `"${entry}" is not an IP address or CIDR range`;
  if (family !== undefined && version !== family) return `"${entry}" is not an IPv${family} address`;
  if (slash === -1) return undefined;
  const prefix = value.slice(slash + 1);
  const max = version === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max) return `"${entry}" has a prefix length that is not 0-${max}`;
  return undefined;
}

// Host names, RFC 1035 §2.3.1 with RFC 1123 §2.1 (a label may start with a digit): letters,
// digits and hyphens, 1-63 octets a label, 253 in all; one trailing dot (the root) is allowed.
const HOST_LABEL_RE = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;
// Names that are only looked up, never connected to, may also hold underscores (RFC 2181 §11;
// SPF includes like `_spf.google.com`).
const DNS_LABEL_RE = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/i;

/**
 * Why `name` is not a domain name (ASCII, A-labels for internationalised names), or undefined.
 * `underscores`: for names only looked up in the DNS, not host names.
 */
export function domainNameProblem(name: string, underscores = false): string | undefined {
  const LABEL_RE = underscores ? DNS_LABEL_RE : HOST_LABEL_RE;
  const bare = name.endsWith('.') ? name.slice(0, -1) : name;
  if (/[^\x00-\x7f]/.test(bare)) {
    const ascii = domainToASCII(bare);
    return ascii ? `"${name}" must be written in its ASCII form "${ascii}"` : `"${name}" is not a domain name`;
  }
  if (bare.length === 0 || bare.length > 253 || !bare.split('.').every((label) => LABEL_RE.test(label))) {
    return `"${name}" is not a domain name`;
  }
  // RFC 1123 §2.1: a host name never has the dotted-decimal form of an address.
  if (isIP(bare) !== 0 || /^\d+$/.test(bare.slice(bare.lastIndexOf('.') + 1))) return `"${name}" is an IP address, not a domain name`;
  return undefined;
}

/** A fully qualified domain name: at least two labels (`vm` alone is a host name only its own network can resolve). */
export function isFullyQualified(name: string, underscores = false): boolean {
  return domainNameProblem(name, underscores) === undefined && name.replace(/\.$/, '').includes('.');
}

/** TODOKU_TRUSTED_PROXIES entries: IPv4 or IPv6 addresses or CIDR ranges. */
export function trustedProxyProblem(entry: string): string | undefined {
  return cidrProblem(entry);
}

/**
 * TODOKU_SENDING_IPS entries, as dns/spf-record.ts spfTermsFor turns them into SPF terms: an address or
 * CIDR range, an `ip4:`/`ip6:` term (RFC 7208 §5.6), `include:<domain>` (§5.2) or a bare domain
 * (a relay's published SPF, taken as include:). Anything else — `203.0.113.5:25` — would be
 * published as `include:203.0.113.5:25`, a record that authorises nobody.
 */
export function sendingIpProblem(entry: string): string | undefined {
  const m = /^(ip4|ip6|include):(.*)$/i.exec(entry);
  if (m) {
    const mechanism = m[1]!.toLowerCase();
    const value = m[2]!;
    if (mechanism === 'include') return isFullyQualified(value, true) ? undefined : `"${entry}": ${domainNameProblem(value, true) ?? `"${value}" is not a fully qualified domain name`}`;
    return cidrProblem(value, mechanism === 'ip4' ? 4 : 6, entry);
  }
  if (isIP(entry.split('/')[0]!) !== 0) return cidrProblem(entry);
  if (isFullyQualified(entry, true)) return undefined;
  return `"${entry}" is not an IP address, a CIDR range, an ip4:/ip6: term or include:<domain>`;
}
