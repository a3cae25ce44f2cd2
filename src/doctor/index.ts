// The deliverability doctor: reads the DNS the way receivers do, reports findings as data and
// turns them into a verdict per receiver (receivers/). Used by `todoku doctor` (cli/doctor.ts)
// and, for sending identities, by the operator API.
import { isIP } from 'node:net';
import { cachingResolver, dnsErrorCode } from '../dns/resolver.js';
import type { CheckContext, DoctorDeps, DoctorInput, DoctorReport, Finding } from './types.js';
import { finding } from './types.js';
import { domainOfAddress, normalizeDomain } from './alignment.js';
import { firstAddressOf, walkSpf } from '../dns/spf-record.js';
import { unicodeHostName } from '../dns/names.js';
import { spfChecks } from './checks/spf.js';
import { praCheck } from './checks/pra.js';
import { dkimChecks } from './checks/dkim.js';
import { dmarcAlignmentCheck, dmarcRecordChecks, readDmarc } from './checks/dmarc.js';
import { fromResolvesCheck, heloCheck, mailFromMxCheck, ptrCheck } from './checks/network.js';
import { judge, receivers } from './receivers/index.js';

export type { DoctorInput, DoctorDeps, DoctorReport, Finding, ReceiverResult, RecordFix, DkimKeyInput, CheckStatus, Verdict } from './types.js';

/** How many addresses a --via include contributes (the first of each ip4: term, in order). */
const VIA_IPS_PER_INCLUDE = 4;

/** Why an include gave no sending IP, for the evidence (stable values). */
type ViaFailure = 'no-record' | 'no-ip4' | 'dns-error';

/**
 * The IPs an include authorises, and a finding that says which include failed and why when it
 * gives none — a failed --via is the headline, not a side note (issue 13 #15).
 */
async function expandVia(ctx: Pick<CheckContext, 'resolve'>, via: string, given: 'via' | 'sendingIps'): Promise<{ ips: string[]; finding: Finding }> {
  const walk = await walkSpf(ctx.resolve, via);
  const ips = [...new Set(walk.ip4.map(firstAddressOf).filter((ip): ip is string => ip !== undefined))].slice(0, VIA_IPS_PER_INCLUDE);
  const evidence = { include: via, given, ip4: walk.ip4, chosen: ips, path: walk.path.map((p) => ({ domain: p.domain, record: p.record })) };
  const failed = (status: 'fail' | 'error', reason: ViaFailure, message: string) =>
    ({ ips, finding: finding('via.expand', status, message, { ...evidence, reason }) });
  if (ips.length === 0 && walk.dnsErrors.length > 0) {
    return failed('error', 'dns-error', `could not read the SPF record of ${via} (DNS: ${walk.dnsErrors.join(', ')}), so it gives no sending IP to check with`);
  }
  if (ips.length === 0 && walk.path[0]?.record == null) {
    return failed('fail', 'no-record', `${via} publishes no SPF record, so it names no sending IP to check with`);
  }
  if (ips.length === 0) {
    const other = walk.ip6.length > 0 ? ` (only ip6: ${walk.ip6.join(' ')})` : '';
    return failed('fail', 'no-ip4', `the SPF record of ${via} has no ip4: range${other}, so it names no IPv4 address to check with`);
  }
  return { ips, finding: finding('via.expand', 'pass', `include:${via} authorises ${walk.ip4.length} IPv4 ranges; checking as ${ips.join(', ')}`, evidence) };
}

export async function runDoctor(input: DoctorInput, deps: DoctorDeps): Promise<DoctorReport> {
  const domain = normalizeDomain(input.domain);
  const resolve = cachingResolver(deps.resolve);
  const fromSendingIps = input.sendingIps.filter((s) => /^include:/i.test(s)).map((s) => normalizeDomain(s.slice('include:'.length)));
  const via = [...(input.via ?? []).map(normalizeDomain), ...fromSendingIps].filter((v, i, all) => v && all.indexOf(v) === i);
  const explicit = input.sendingIps.filter((s) => !/^include:/i.test(s)).map((s) => s.trim());
  for (const ip of explicit) if (!isIP(ip)) throw new TypeError(`sending IP "${ip}" is not an IP address`);

  const checks: Finding[] = [];
  const viaIps: string[] = [];
  /** The includes that gave IPs: a fix may authorise those, never one that names nobody. */
  const viaUsed: string[] = [];
  for (const v of via) {
    try {
      const expanded = await expandVia({ resolve }, v, (input.via ?? []).map(normalizeDomain).includes(v) ? 'via' : 'sendingIps');
      checks.push(expanded.finding);
      if (expanded.ips.length > 0) viaUsed.push(v);
      viaIps.push(...expanded.ips.filter((ip) => !explicit.includes(ip) && !viaIps.includes(ip)));
    } catch (err) {
      checks.push(finding('via.expand', 'error', `could not read the SPF record of ${v} (DNS: ${dnsErrorCode(err)}), so it gives no sending IP to check with`, { include: v, reason: 'dns-error' }));
    }
  }
  // With no IP at all, nothing that depends on one can be judged; the checks say why in the
  // words of the cause — the failed includes — instead of "pass --ip or --via".
  const sendingIps = [...explicit, ...viaIps];
  const failedVia = checks.filter((c) => c.id === 'via.expand' && c.status !== 'pass');
  const noSendingIp =
    sendingIps.length > 0
      ? undefined
      : failedVia.length > 0
        ? `no sending IP to check with: ${failedVia.map((c) => c.message.replace(/, so it (gives|names) no .*$/, '')).join('; ')}`
        : 'no sending IP to check with: pass --ip or --via';

  // The From address as the DNS sees it: its domain as an A-label, the local part as given
  // (a quoted or legacy carrier local part is kept).
  const fromAddress = input.fromAddress ? `${input.fromAddress.slice(0, input.fromAddress.lastIndexOf('@'))}@${domainOfAddress(input.fromAddress)}` : `no-reply@${domain}`;
  const ctx: CheckContext = {
    domain,
    fromAddress,
    mailFromDomain: normalizeDomain(input.mailFromDomain ?? domainOfAddress(fromAddress)),
    heloName: input.heloName ? normalizeDomain(input.heloName) : undefined,
    sendingIps,
    noSendingIp,
    via: viaUsed,
    viaIps,
    dkim: input.dkim ?? [],
    headers: input.headers ?? {},
    resolve,
    clock: deps.clock,
  };

  const dmarc = await readDmarc(ctx);
  const [spfFrom, spfMailFrom, pra, dkim, mx, fromResolves, helo, ptr] = await Promise.all([
    spfChecks(ctx, 'from', domain),
    spfChecks(ctx, 'mailfrom', ctx.mailFromDomain),
    praCheck(ctx),
    dkimChecks(ctx, dmarc.found?.adkim ?? 'r'),
    mailFromMxCheck(ctx),
    fromResolvesCheck(ctx),
    heloCheck(ctx),
    ptrCheck(ctx),
  ]);
  checks.push(...spfFrom, ...spfMailFrom, pra, ...dkim, ...dmarcRecordChecks(ctx, dmarc));

  const mailFromResult = spfMailFrom.find((f) => f.id === 'spf.mailfrom.result');
  const dkimPassing = dkim
    .filter((f) => f.id === 'dkim.verify' && f.status === 'pass')
    .map((f) => ({ selector: String(f.evidence.selector), domain: String(f.evidence.domain) }));
  checks.push(dmarcAlignmentCheck(ctx, dmarc, mailFromResult?.status === 'pass', dkimPassing, mailFromResult?.fix));
  checks.push(mx, fromResolves, ...(helo ? [helo] : []), ptr);

  // An internationalised domain is shown in both forms; the field exists only then, so the
  // report of an ASCII domain keeps exactly the contract's fields.
  const unicode = unicodeHostName(domain);
  return {
    domain,
    ...(unicode !== domain ? { domainUnicode: unicode } : {}),
    sendingIps: ctx.sendingIps,
    checks,
    receivers: receivers.map((profile) => judge(profile, checks)),
  };
}

/**
 * Exit status of `todoku doctor` (so it can gate a deploy): 2 when a check that decides some
 * receiver's verdict could not be completed (DNS unreachable), 1 when some receiver will not
 * accept, 0 when every receiver accepts.
 */
export function exitCodeFor(report: DoctorReport): 0 | 1 | 2 {
  const errored = new Set(report.checks.filter((c) => c.status === 'error').map((c) => c.id));
  if (report.receivers.some((r) => r.reasons.some((id) => errored.has(id)))) return 2;
  return report.receivers.every((r) => r.verdict === 'accept') ? 0 : 1;
}
