// DNS for SPF, DKIM, DMARC, MX and the doctor. Every consumer takes a `DnsResolve` — the shape of
// `dns.promises.resolve(name, rrtype)`, which is what mailauth's functions accept as `resolver` —
// so tests point it at a loopback server and production at TODOKU_DNS_SERVERS or the system.
import { promises as dnsPromises } from 'node:dns';

/** `dns.promises.resolve(name, rrtype)`: TXT → string[][], MX → {exchange, priority}[], A/AAAA/PTR/CNAME → string[]. */
export type DnsResolve = (name: string, rrtype: string) => Promise<any[]>;

export interface ResolverOptions {
  /** `ip[:port]` or `[ipv6]:port` (config.dnsServers); undefined → the system's servers. */
  servers?: string[] | undefined;
  /** Per-try timeout; c-ares defaults to 5 s with 4 tries, too slow for a CLI that should answer "DNS unreachable". */
  timeoutMs?: number;
  tries?: number;
}

/** The answer does not exist: NXDOMAIN or an empty answer (RFC 7208 §4.6.4 calls these "void"). */
export function isNoRecord(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ENOTFOUND' || code === 'ENODATA';
}

/** The question could not be answered (timeout, refused, server failure): a check that hits this reports 'error'. */
export function isDnsFailure(err: unknown): boolean {
  return !isNoRecord(err);
}

export function dnsErrorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'EUNKNOWN';
}

export function createResolver(options: ResolverOptions = {}): DnsResolve {
  const resolver = new dnsPromises.Resolver({
    timeout: options.timeoutMs ?? 2000,
    tries: options.tries ?? 2,
  });
  if (options.servers && options.servers.length > 0) {
    // Resolver#setServers takes "1.2.3.4", "1.2.3.4:5353" and "[::1]:5353" — the TODOKU_DNS_SERVERS format.
    resolver.setServers(options.servers);
  }
  return (name: string, rrtype: string) => resolver.resolve(name, rrtype) as Promise<any[]>;
}

/**
 * One run of the doctor asks the same questions many times (SPF per IP, per role); this keeps
 * the first answer (or error) per question and records what was asked, for the evidence.
 */
export interface CachingResolve extends DnsResolve {
  queries(): { name: string; rrtype: string; answer?: unknown; error?: string }[];
}

export function cachingResolver(resolve: DnsResolve): CachingResolve {
  const cache = new Map<string, Promise<any[]>>();
  const log: { name: string; rrtype: string; answer?: unknown; error?: string }[] = [];
  const fn = ((name: string, rrtype: string) => {
    const key = `${name.toLowerCase().replace(/\.$/, '')}\u0000${rrtype.toUpperCase()}`;
    let hit = cache.get(key);
    if (!hit) {
      const entry: { name: string; rrtype: string; answer?: unknown; error?: string } = { name, rrtype };
      log.push(entry);
      hit = resolve(name, rrtype).then(
        (answer) => {
          entry.answer = answer;
          return answer;
        },
        (err: unknown) => {
          entry.error = dnsErrorCode(err);
          throw err;
        },
      );
      cache.set(key, hit);
    }
    return hit;
  }) as CachingResolve;
  fn.queries = () => log.slice();
  return fn;
}
