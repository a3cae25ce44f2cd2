// The DNS lookups the domains feature makes, through a function shaped like
// `dns.promises.resolve` (src/dns/resolver.ts), so tests point it at a loopback server.
import type { DnsResolve } from '../dns/resolver.js';

export type { DnsResolve };

export type LookupResult<T> = { kind: 'found'; values: T[] } | { kind: 'none' } | { kind: 'temporary'; reason: string };

// Node's resolver codes. No such name / no such record → the record is not (yet) published;
// anything else (timeout, SERVFAIL, refused) says nothing about the record, so it is temporary.
const ABSENT = new Set(['ENOTFOUND', 'ENODATA', 'NXDOMAIN', 'ENONAME']);

function errorCode(err: unknown): string {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : 'EUNKNOWN';
}

/** TXT records of `name`, each joined from its character-strings (RFC 7208 §3.3). */
export async function lookupTxt(resolve: DnsResolve, name: string): Promise<LookupResult<string>> {
  try {
    const rows = await resolve(name, 'TXT');
    const values = rows.map((r) => (Array.isArray(r) ? r.map(String).join('') : String(r)));
    return values.length === 0 ? { kind: 'none' } : { kind: 'found', values };
  } catch (err) {
    const code = errorCode(err);
    return ABSENT.has(code) ? { kind: 'none' } : { kind: 'temporary', reason: `DNS lookup of ${name} TXT failed (${code})` };
  }
}

export interface MxRecord {
  exchange: string;
  priority: number;
}

export async function lookupMx(resolve: DnsResolve, name: string): Promise<LookupResult<MxRecord>> {
  try {
    const rows = (await resolve(name, 'MX')) as MxRecord[];
    return rows.length === 0 ? { kind: 'none' } : { kind: 'found', values: rows };
  } catch (err) {
    const code = errorCode(err);
    return ABSENT.has(code) ? { kind: 'none' } : { kind: 'temporary', reason: `DNS lookup of ${name} MX failed (${code})` };
  }
}

export function sameHost(a: string, b: string): boolean {
  return a.replace(/\.$/, '').toLowerCase() === b.replace(/\.$/, '').toLowerCase();
}
