// DNS verification of a sending identity with SES's states: PENDING until the record is
// seen, SUCCESS when it matches, FAILED when a different record is published (or none
// appeared within 72 h), TEMPORARY_FAILURE when DNS did not answer — which says nothing
// about the record, so it is never FAILED.
import type { DkimKey, SendingDomain, VerificationStatus } from './model.js';
import { lookupMx, lookupTxt, sameHost, type DnsResolve } from '../dns/resolver.js';
import { dkimRecordName } from './records.js';
import { authorisesAll, isSpfRecord } from '../dns/spf-record.js';
import type { VerificationPatch } from './ports.js';

/** SES keeps looking for the records for 72 hours after the identity is created. */
export const VERIFICATION_WINDOW_MS = 72 * 3600_000;
/** After success, records are re-read daily so a removed key is noticed. */
export const RECHECK_AFTER_SUCCESS_MS = 24 * 3600_000;

export interface CheckResult {
  status: VerificationStatus;
  reason: string | null;
}

const RANK: Record<VerificationStatus, number> = { SUCCESS: 0, NOT_STARTED: 0, PENDING: 1, TEMPORARY_FAILURE: 2, FAILED: 3 };

/** The worst of several results (FAILED > TEMPORARY_FAILURE > PENDING > SUCCESS), reasons joined. */
export function combine(results: CheckResult[]): CheckResult {
  if (results.length === 0) return { status: 'NOT_STARTED', reason: null };
  const worst = results.reduce((a, b) => (RANK[b.status] > RANK[a.status] ? b : a));
  const reasons = results.filter((r) => r.status === worst.status && r.reason).map((r) => r.reason);
  return { status: worst.status, reason: reasons.length ? reasons.join('; ') : null };
}

/** RFC 6376 §3.2 tag=value list. */
function parseTags(record: string): Map<string, string> {
  const tags = new Map<string, string>();
  for (const part of record.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    tags.set(part.slice(0, i).trim().toLowerCase(), part.slice(i + 1).replace(/\s+/g, ''));
  }
  return tags;
}

export async function checkDkimKey(resolve: DnsResolve, key: DkimKey): Promise<CheckResult> {
  const name = dkimRecordName(key);
  const found = await lookupTxt(resolve, name);
  if (found.kind === 'temporary') return { status: 'TEMPORARY_FAILURE', reason: found.reason };
  if (found.kind === 'none') return { status: 'PENDING', reason: `no TXT record at ${name} yet` };
  const keys = found.values.map(parseTags).filter((t) => t.has('p'));
  if (keys.length === 0) return { status: 'FAILED', reason: `the TXT record at ${name} is not a DKIM key record (no p= tag)` };
  for (const tags of keys) {
    // RFC 6376 §3.6.1: k= defaults to rsa.
    if (tags.get('p') === key.publicKey && (tags.get('k') ?? 'rsa').toLowerCase() === key.algorithm) return { status: 'SUCCESS', reason: null };
  }
  const tags = keys[0]!;
  const p = tags.get('p') ?? '';
  if (p === '') return { status: 'FAILED', reason: `the key at ${name} is revoked (empty p=)` };
  if ((tags.get('k') ?? 'rsa').toLowerCase() !== key.algorithm) {
    return { status: 'FAILED', reason: `the key at ${name} is k=${tags.get('k') ?? 'rsa'}, todoku's key is k=${key.algorithm}` };
  }
  return { status: 'FAILED', reason: `the key published at ${name} (p=${p.slice(0, 12)}…) does not match todoku's key (p=${key.publicKey.slice(0, 12)}…)` };
}

export async function checkDkim(resolve: DnsResolve, keys: DkimKey[]): Promise<CheckResult> {
  const live = keys.filter((k) => k.retiredAtMs === null);
  if (live.length === 0) return { status: 'FAILED', reason: 'the identity has no DKIM key' };
  return combine(await Promise.all(live.map((k) => checkDkimKey(resolve, k))));
}

export async function checkSpf(resolve: DnsResolve, name: string, spfTerms: string[]): Promise<CheckResult> {
  const found = await lookupTxt(resolve, name);
  if (found.kind === 'temporary') return { status: 'TEMPORARY_FAILURE', reason: found.reason };
  const spf = found.kind === 'found' ? found.values.filter(isSpfRecord) : [];
  if (spf.length === 0) return { status: 'PENDING', reason: `no SPF record at ${name} yet` };
  if (spf.length > 1) return { status: 'FAILED', reason: `${name} has ${spf.length} SPF records (RFC 7208 §3.2: permerror); keep one` };
  if (!authorisesAll(spf[0]!, spfTerms)) {
    return { status: 'FAILED', reason: `the SPF record of ${name} ("${spf[0]}") does not authorise ${spfTerms.join(' ')}` };
  }
  return { status: 'SUCCESS', reason: null };
}

export async function checkMailFrom(resolve: DnsResolve, identity: SendingDomain, bounceHost: string, spfTerms: string[]): Promise<CheckResult> {
  const name = identity.mailFromDomain;
  if (name === null) return { status: 'NOT_STARTED', reason: null };
  const mx = await lookupMx(resolve, name);
  let mxResult: CheckResult;
  if (mx.kind === 'temporary') mxResult = { status: 'TEMPORARY_FAILURE', reason: mx.reason };
  else if (mx.kind === 'none') mxResult = { status: 'PENDING', reason: `no MX record at ${name} yet` };
  else if (mx.values.some((r) => sameHost(r.exchange, bounceHost))) mxResult = { status: 'SUCCESS', reason: null };
  else mxResult = { status: 'FAILED', reason: `the MX of ${name} points to ${mx.values.map((r) => r.exchange).join(', ')}, not ${bounceHost}` };
  return combine([mxResult, await checkSpf(resolve, name, spfTerms)]);
}

/** Past the window a record still missing is FAILED, as SES marks it after 72 h. */
function expire(result: CheckResult, startedAtMs: number, nowMs: number): CheckResult {
  if (result.status !== 'PENDING' || nowMs - startedAtMs < VERIFICATION_WINDOW_MS) return result;
  return { status: 'FAILED', reason: `${result.reason ?? 'record missing'} (not found within 72 hours; publish it and verify again)` };
}

/**
 * When the next scheduled check is due, or null for "on demand only". Pure.
 * While something is pending: every 5 min in the first hour, every 30 min until a day
 * has passed, hourly until 72 h; the last check falls on the window's end.
 */
export function nextCheckAt(statuses: VerificationStatus[], startedAtMs: number, nowMs: number): number | null {
  const waiting = statuses.some((s) => s === 'PENDING' || s === 'TEMPORARY_FAILURE');
  if (!waiting) return statuses.some((s) => s === 'FAILED') ? null : nowMs + RECHECK_AFTER_SUCCESS_MS;
  const end = startedAtMs + VERIFICATION_WINDOW_MS;
  if (nowMs >= end) return null;
  const elapsed = nowMs - startedAtMs;
  const interval = elapsed < 3600_000 ? 5 * 60_000 : elapsed < 24 * 3600_000 ? 30 * 60_000 : 3600_000;
  return Math.min(nowMs + interval, end);
}

export interface VerifyContext {
  resolve: DnsResolve;
  bounceHost: string;
  spfTerms: string[];
}

/** Reads every record of the identity and returns its new state. Only DNS is touched. */
export async function verifyIdentity(ctx: VerifyContext, identity: SendingDomain, keys: DkimKey[], nowMs: number): Promise<VerificationPatch> {
  const started = identity.verificationStartedAtMs;
  const [dkim, mailFrom, spf] = await Promise.all([
    checkDkim(ctx.resolve, keys),
    checkMailFrom(ctx.resolve, identity, ctx.bounceHost, ctx.spfTerms),
    checkSpf(ctx.resolve, identity.domain, ctx.spfTerms),
  ]);
  const d = expire(dkim, started, nowMs);
  const m = expire(mailFrom, started, nowMs);
  const s = expire(spf, started, nowMs);
  return {
    dkimStatus: d.status,
    dkimReason: d.reason,
    mailFromStatus: m.status,
    mailFromReason: m.reason,
    spfStatus: s.status,
    spfReason: s.reason,
    verificationStartedAtMs: started,
    lastCheckedAtMs: nowMs,
    nextCheckAtMs: nextCheckAt([d.status, m.status, s.status], started, nowMs),
  };
}
