// The deliverability doctor: reads the DNS the way receivers do, reports findings as data and
// turns them into a verdict per receiver (receivers/). Used by `todoku doctor` (cli/doctor.ts)
// and, for sending identities, by the operator API.
import { isIP } from 'node:net';
import { cachingResolver, dnsErrorCode } from '../dns/resolver.js';
import type { CheckContext, DoctorDeps, DoctorInput, DoctorReport, Finding } from './types.js';
import { finding } from './types.js';
import { domainOfAddress, normalizeDomain } from './alignment.js';
import { firstAddressOf, walkSpf } from '../dns/spf-record.js';
import { spfChecks } from './checks/spf.js';
import { praCheck } from './checks/pra.js';
import { dkimChecks } from './checks/dkim.js';
import { dmarcAlignmentCheck, dmarcRecordChecks, readDmarc } from './checks/dmarc.js';
import { heloCheck, mailFromMxCheck, ptrCheck } from './checks/network.js';
import { judge, receivers } from './receivers/index.js';

export type { DoctorInput, DoctorDeps, DoctorReport, Finding, ReceiverResult, RecordFix, DkimKeyInput, CheckStatus, Verdict } from './types.js';

/** How many addresses a --via include contributes (the first of each ip4: term, in order). */
const VIA_IPS_PER_INCLUDE = 4;

async function expandVia(ctx: Pick<CheckContext, 'resolve'>, via: string): Promise<{ ips: string[]; finding: Finding }> {
  const walk = await walkSpf(ctx.resolve, via);
  const ips = [...new Set(walk.ip4.map(firstAddressOf).filter((ip): ip is string => ip !== undefined))].slice(0, VIA_IPS_PER_INCLUDE);
  const evidence = { include: via, ip4: walk.ip4, chosen: ips, path: walk.path.map((p) => ({ domain: p.domain, record: p.record })) };
  if (walk.dnsErrors.length > 0 && ips.length === 0) {
    return { ips, finding: finding('via.expand', 'error', `could not expand include:${via} (${walk.dnsErrors.join(', ')})`, evidence) };
  }
  if (ips.length === 0) {
    return { ips, finding: finding('via.expand', 'fail', `include:${via} authorises no IPv4 range`, evidence) };
  }
  return { ips, finding: finding('via.expand', 'pass', `include:${via} authorises ${walk.ip4.length} IPv4 ranges; checking as ${ips.join(', ')}`, evidence) };
}

export async function runDoctor(input: DoctorInput, deps: DoctorDeps): Promise<DoctorReport> {
  const domain = normalizeDomain(input.domain);
  const resolve = cachingResolver(deps.resolve);
  const via = [...(input.via ?? []), ...input.sendingIps.filter((s) => /^include:/i.test(s)).map((s) => s.slice('include:'.length))]
    .map(normalizeDomain)
    .filter((v, i, all) => v && all.indexOf(v) === i);
  const explicit = input.sendingIps.filter((s) => !/^include:/i.test(s)).map((s) => s.trim());
  for (const ip of explicit) if (!isIP(ip)) throw new TypeError(`sending IP "${ip}" is not an IP address`);

  const checks: Finding[] = [];
  const viaIps: string[] = [];
  for (const v of via) {
    try {
      const expanded = await expandVia({ resolve }, v);
      checks.push(expanded.finding);
      viaIps.push(...expanded.ips.filter((ip) => !explicit.includes(ip) && !viaIps.includes(ip)));
    } catch (err) {
      checks.push(finding('via.expand', 'error', `could not expand include:${v} (${dnsErrorCode(err)})`, { include: v }));
    }
  }

  const fromAddress = input.fromAddress ?? `no-reply@${domain}`;
  const ctx: CheckContext = {
    domain,
    fromAddress,
    mailFromDomain: normalizeDomain(input.mailFromDomain ?? domainOfAddress(fromAddress)),
    heloName: input.heloName ? normalizeDomain(input.heloName) : undefined,
    sendingIps: [...explicit, ...viaIps],
    via,
    viaIps,
    dkim: input.dkim ?? [],
    headers: input.headers ?? {},
    resolve,
    clock: deps.clock,
  };

  const dmarc = await readDmarc(ctx);
  const [spfFrom, spfMailFrom, pra, dkim, mx, helo, ptr] = await Promise.all([
    spfChecks(ctx, 'from', domain),
    spfChecks(ctx, 'mailfrom', ctx.mailFromDomain),
    praCheck(ctx),
    dkimChecks(ctx, dmarc.found?.adkim ?? 'r'),
    mailFromMxCheck(ctx),
    heloCheck(ctx),
    ptrCheck(ctx),
  ]);
  checks.push(...spfFrom, ...spfMailFrom, pra, ...dkim, ...dmarcRecordChecks(ctx, dmarc));

  const mailFromResult = spfMailFrom.find((f) => f.id === 'spf.mailfrom.result');
  const dkimPassing = dkim
    .filter((f) => f.id === 'dkim.verify' && f.status === 'pass')
    .map((f) => ({ selector: String(f.evidence.selector), domain: String(f.evidence.domain) }));
  checks.push(dmarcAlignmentCheck(ctx, dmarc, mailFromResult?.status === 'pass', dkimPassing, mailFromResult?.fix));
  checks.push(mx, ...(helo ? [helo] : []), ptr);

  return {
    domain,
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
