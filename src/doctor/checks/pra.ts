// The Purported Responsible Address (RFC 4407 §2): the first of Resent-Sender, Resent-From,
// Sender, From that the message carries. au's "high" filter refuses mail whose envelope From
// *or* PRA is forged or unauthenticated (au "送信ドメイン認証SPFレコード", CARRIERS.md), checked
// Sender ID style: an `spf2.0/pra` record when one exists, else the v=spf1 record (RFC 4406 §3.4).
import type { CheckContext, Finding } from '../types.js';
import { finding } from '../types.js';
import { domainOfAddress } from '../alignment.js';
import { dnsErrorCode, isNoRecord } from '../../dns/resolver.js';
import { fetchSpf, walkSpf } from '../../dns/spf-record.js';
import { evaluateSpf, spfFix } from './spf.js';

export async function praCheck(ctx: CheckContext): Promise<Finding> {
  const order: [string, string | undefined][] = [
    ['Resent-Sender', ctx.headers.resentSender],
    ['Resent-From', ctx.headers.resentFrom],
    ['Sender', ctx.headers.sender],
    ['From', ctx.fromAddress],
  ];
  const [header, address] = order.find(([, v]) => v !== undefined && v !== '') ?? ['From', ctx.fromAddress];
  const domain = domainOfAddress(address ?? ctx.fromAddress);
  const evidence: Record<string, unknown> = { order: order.map(([h]) => h), header, address, domain };

  let senderIdRecord: string | undefined;
  try {
    const rows = (await ctx.resolve(domain, 'TXT')) as string[][];
    senderIdRecord = rows
      .map((r) => r.join(''))
      .find((r) => /^spf2\.0\/(\S*,)?pra(,\S*)?(\s|$)/i.test(r));
  } catch (err) {
    if (!isNoRecord(err)) {
      return finding('pra.order', 'error', `could not read the TXT records of ${domain} (${dnsErrorCode(err)})`, evidence);
    }
  }
  const override = senderIdRecord ? [[senderIdRecord.replace(/^spf2\.0\/\S+/i, 'v=spf1')]] : undefined;
  const results = await evaluateSpf(ctx, domain, override);
  evidence.record = senderIdRecord ?? 'v=spf1 (no spf2.0/pra record)';
  evidence.results = results;

  if (ctx.sendingIps.length === 0) return finding('pra.order', 'error', `not evaluated: ${ctx.noSendingIp ?? 'no sending IP to check with'}`, { ...evidence, noSendingIp: true });
  if (results.some((r) => r.result === 'temperror')) {
    return finding('pra.order', 'error', `SPF of the PRA domain ${domain} could not be evaluated (DNS)`, evidence);
  }
  const bad = results.filter((r) => r.result !== 'pass');
  if (bad.length === 0) {
    return finding('pra.order', 'pass', `the PRA is ${header} <${address}>, and ${domain} authorises every sending IP`, evidence);
  }
  // A Sender ID record needs its own edit; otherwise the fix is the merged v=spf1 record.
  const txt = await fetchSpf(ctx.resolve, domain);
  const fix = senderIdRecord ? undefined : spfFix(ctx, domain, txt, txt.records.length === 1 ? await walkSpf(ctx.resolve, domain) : undefined, results);
  return finding(
    'pra.order',
    'fail',
    `the PRA is ${header} <${address}>; SPF of ${domain} gives ${bad.map((r) => `${r.ip}: ${r.result}`).join(', ')} — au's high setting refuses it`,
    evidence,
    fix,
  );
}
