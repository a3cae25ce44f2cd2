// Where mail comes from, as receivers see the connection: the MAIL FROM domain can receive
// bounces (RFC 5321 §4.5.5, §5.1; SES requires an MX on a custom MAIL FROM), the HELO name
// resolves (RFC 5321 §4.1.1.1), and each sending IP has a PTR whose name resolves back to it —
// forward-confirmed reverse DNS, which Gmail and Yahoo require of all senders (4.7.23 / 5.7.25).
import { isIP } from 'node:net';
import type { CheckContext, Finding, RecordFix } from '../types.js';
import { finding } from '../types.js';
import { dnsErrorCode, isNoRecord, type DnsResolve } from '../../dns/resolver.js';
import { isOurs } from './spf.js';

type Answer<T> = { ok: T[] } | { none: true } | { error: string };

async function ask<T>(ctx: CheckContext, name: string, type: string): Promise<Answer<T>> {
  try {
    const answer = (await ctx.resolve(name, type)) as T[];
    return answer.length > 0 ? { ok: answer } : { none: true };
  } catch (err) {
    return isNoRecord(err) ? { none: true } : { error: dnsErrorCode(err) };
  }
}

export async function mailFromMxCheck(ctx: CheckContext): Promise<Finding> {
  const domain = ctx.mailFromDomain;
  const mx = await ask<{ exchange: string; priority: number }>(ctx, domain, 'MX');
  if ('error' in mx) return finding('mailfrom.mx', 'error', `could not read the MX of ${domain} (${mx.error})`, { domain });
  if ('ok' in mx) {
    // RFC 7505: a single "." MX says the domain accepts no mail.
    const real = mx.ok.filter((r) => r.exchange !== '' && r.exchange !== '.');
    if (real.length > 0) return finding('mailfrom.mx', 'pass', `${domain} has MX ${real.map((r) => `${r.priority} ${r.exchange}`).join(', ')}`, { domain, mx: mx.ok });
  }
  let fix: RecordFix | undefined;
  if (isOurs(ctx, domain) && domain !== ctx.domain) {
    const fromMx = await ask<{ exchange: string; priority: number }>(ctx, ctx.domain, 'MX');
    const first = 'ok' in fromMx ? fromMx.ok.find((r) => r.exchange && r.exchange !== '.') : undefined;
    if (first) fix = { name: domain, type: 'MX', value: `10 ${first.exchange}` };
  }
  const a = await ask<string>(ctx, domain, 'A');
  if ('ok' in a) {
    // RFC 5321 §5.1: without MX the A record is the implicit MX — bounces arrive, but carriers and SES expect an MX.
    return finding('mailfrom.mx', 'warn', `${domain} has no MX, only an A record (implicit MX)`, { domain, a: a.ok }, fix);
  }
  return finding('mailfrom.mx', 'fail', `MAIL FROM domain ${domain} has no MX: bounces cannot come back and receivers may refuse the sender`, { domain }, fix);
}

/**
 * The header-From domain has an A or an MX record. docomo's current sender notice asks senders
 * for it (CARRIERS.md: "SPF on the header-From domain, DKIM, DMARC, and an A or MX record on the
 * From domain"); RFC 5321 §5.1 makes either the way replies reach the domain. A null MX
 * (RFC 7505, ".") says the domain takes no mail, so it is not one. No record is proposed: which
 * host should receive the domain's mail is the owner's to say.
 */
export async function fromResolvesCheck(ctx: CheckContext): Promise<Finding> {
  const domain = ctx.domain;
  const [mx, a] = await Promise.all([ask<{ exchange: string; priority: number }>(ctx, domain, 'MX'), ask<string>(ctx, domain, 'A')]);
  const realMx = 'ok' in mx ? mx.ok.filter((r) => r.exchange !== '' && r.exchange !== '.') : [];
  const evidence = { domain, mx: 'ok' in mx ? mx.ok : [], a: 'ok' in a ? a.ok : [] };
  if (realMx.length > 0) return finding('from.resolves', 'pass', `${domain} has MX ${realMx.map((r) => `${r.priority} ${r.exchange}`).join(', ')}`, evidence);
  if ('ok' in a) return finding('from.resolves', 'pass', `${domain} has an A record (${a.ok.join(', ')})`, evidence);
  const error = 'error' in mx ? mx.error : 'error' in a ? a.error : undefined;
  if (error) return finding('from.resolves', 'error', `could not read the MX and A records of ${domain} (${error})`, { ...evidence, dnsError: error });
  return finding(
    'from.resolves',
    'warn',
    `${domain} has neither an A nor an MX record: docomo's sender notice asks for one on the header-From domain (an MX for the host that receives its mail, or an A record)`,
    evidence,
  );
}

export async function heloCheck(ctx: CheckContext): Promise<Finding | undefined> {
  const helo = ctx.heloName;
  if (!helo) return undefined;
  const addresses: string[] = [];
  for (const type of ['A', 'AAAA']) {
    const r = await ask<string>(ctx, helo, type);
    if ('error' in r) return finding('helo.resolves', 'error', `could not resolve ${helo} (${r.error})`, { helo });
    if ('ok' in r) addresses.push(...r.ok);
  }
  const evidence = { helo, addresses, sendingIps: ctx.sendingIps };
  const ip = ctx.sendingIps[0];
  const fix: RecordFix | undefined = ip && isOurs(ctx, helo) ? { name: helo, type: isIP(ip) === 6 ? 'AAAA' : 'A', value: ip } : undefined;
  if (addresses.length === 0) return finding('helo.resolves', 'fail', `the HELO name ${helo} does not resolve`, evidence, fix);
  if (ctx.sendingIps.length > 0 && !ctx.sendingIps.some((s) => addresses.includes(s))) {
    return finding('helo.resolves', 'warn', `${helo} resolves to ${addresses.join(', ')}, none of them a sending IP`, evidence, fix);
  }
  return finding('helo.resolves', 'pass', `${helo} resolves to ${addresses.join(', ')}`, evidence);
}

export function reverseName(ip: string): string {
  if (isIP(ip) === 4) return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
  // RFC 3596 §2.5: nibbles of the full address, least significant first.
  const [head = '', tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return `${groups.map((g) => g.padStart(4, '0')).join('').split('').reverse().join('.')}.ip6.arpa`;
}

export interface ReverseDns {
  /** The PTR names of the IP. */
  names: string[];
  /** Those of them whose A/AAAA records lead back to the IP. */
  confirmed: string[];
  /** Set when a lookup failed (not "no record"): the answer is incomplete. */
  error?: string;
}

/**
 * Forward-confirmed reverse DNS of `ip`: what the doctor predicts (ptrCheck) and what a
 * receiver sees on delivery (tests/helpers/live-receiver.ts) are the same lookups. At most 10 PTR names are followed.
 */
export async function reverseDns(resolve: DnsResolve, ip: string): Promise<ReverseDns> {
  let names: string[];
  try {
    names = (await resolve(reverseName(ip), 'PTR')) as string[];
  } catch (err) {
    if (!isNoRecord(err)) return { names: [], confirmed: [], error: dnsErrorCode(err) };
    names = [];
  }
  const confirmed: string[] = [];
  for (const name of names.slice(0, 10)) {
    try {
      const addresses = (await resolve(name, isIP(ip) === 6 ? 'AAAA' : 'A')) as string[];
      if (addresses.includes(ip)) confirmed.push(name);
    } catch (err) {
      if (!isNoRecord(err)) return { names, confirmed, error: dnsErrorCode(err) };
    }
  }
  return { names, confirmed };
}

export async function ptrCheck(ctx: CheckContext): Promise<Finding> {
  if (ctx.sendingIps.length === 0) return finding('ptr.fcrdns', 'error', `not evaluated: ${ctx.noSendingIp ?? 'no sending IP to check with'}`, { noSendingIp: true });
  const results: { ip: string; ptr: string[]; confirmed: string[]; error?: string }[] = [];
  for (const ip of ctx.sendingIps) {
    const r = await reverseDns(ctx.resolve, ip);
    results.push({ ip, ptr: r.names, confirmed: r.confirmed, ...(r.error ? { error: r.error } : {}) });
  }
  const evidence = { results };
  if (results.some((r) => r.error)) return finding('ptr.fcrdns', 'error', `could not read the PTR of ${results.filter((r) => r.error).map((r) => r.ip).join(', ')}`, evidence);
  const bad = results.filter((r) => r.confirmed.length === 0);
  if (bad.length === 0) return finding('ptr.fcrdns', 'pass', results.map((r) => `${r.ip} ↔ ${r.confirmed[0]}`).join(', '), evidence);
  const first = bad[0]!;
  // The PTR lives in the IP owner's zone (the hosting provider's panel); the A record in ours.
  // An address of a --via service is the provider's to fix, not ours.
  const fix: RecordFix | undefined = ctx.viaIps.includes(first.ip)
    ? undefined
    : first.ptr[0]
    ? { name: first.ptr[0], type: isIP(first.ip) === 6 ? 'AAAA' : 'A', value: first.ip }
    : { name: reverseName(first.ip), type: 'PTR', value: ctx.heloName ?? `mail.${ctx.domain}` };
  const detail = bad.map((r) => (r.ptr.length === 0 ? `${r.ip} has no PTR` : `${r.ip} → ${r.ptr.join(', ')}, which does not resolve back`)).join('; ');
  return finding('ptr.fcrdns', 'fail', `${detail} (the PTR is set by whoever owns the IP)`, evidence, fix);
}
