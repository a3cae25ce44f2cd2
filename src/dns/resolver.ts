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

/**
 * The one classification of a failed question, for every consumer (doctor, domains, SPF walk).
 * The answer does not exist — NXDOMAIN (node: ENOTFOUND) or NOERROR with no record of the type
 * (ENODATA); RFC 7208 §4.6.4 calls these "void", and they are what mailauth reads as "no record"
 * too, so the doctor and a receiver agree. Anything else (timeout, SERVFAIL, refused) says
 * nothing about the record: it is a failure, and a check that hits it reports 'error'.
 */
export function isNoRecord(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ENOTFOUND' || code === 'ENODATA';
}

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

/** A lookup as an outcome: records, none published (yet), or a DNS failure that says nothing about them. */
export type LookupResult<T> = { kind: 'found'; values: T[] } | { kind: 'none' } | { kind: 'temporary'; reason: string };

async function lookup<T>(resolve: DnsResolve, name: string, rrtype: string, read: (rows: any[]) => T[]): Promise<LookupResult<T>> {
  try {
    const values = read(await resolve(name, rrtype));
    return values.length === 0 ? { kind: 'none' } : { kind: 'found', values };
  } catch (err) {
    if (isNoRecord(err)) return { kind: 'none' };
    return { kind: 'temporary', reason: `DNS lookup of ${name} ${rrtype} failed (${dnsErrorCode(err)})` };
  }
}

/** TXT records of `name`, each joined from its character-strings (RFC 7208 §3.3). */
export function lookupTxt(resolve: DnsResolve, name: string): Promise<LookupResult<string>> {
  return lookup(resolve, name, 'TXT', (rows) => rows.map((r) => (Array.isArray(r) ? r.map(String).join('') : String(r))));
}

export interface MxRecord {
  exchange: string;
  priority: number;
}

export function lookupMx(resolve: DnsResolve, name: string): Promise<LookupResult<MxRecord>> {
  return lookup(resolve, name, 'MX', (rows) => rows as MxRecord[]);
}

/** Host names compare case-insensitively, with or without the root label's dot. */
export function sameHost(a: string, b: string): boolean {
  return a.replace(/\.$/, '').toLowerCase() === b.replace(/\.$/, '').toLowerCase();
}
