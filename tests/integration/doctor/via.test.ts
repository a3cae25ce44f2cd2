// issue 13 #15: a --via include that gives no sending IP. The doctor said "pass --ip or --via"
// although --via was given, blamed the DNS, and proposed "v=spf1 ~all" — a record that
// authorises nobody. The via failure is the headline, naming the include and why; no SPF record
// without a sender is ever proposed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDnsServer, type DnsServer } from '../../helpers/dns-server.js';
import { doctorCommand } from '../../../src/cli/doctor.js';
import { ManualClock } from '../../../src/core/clock.js';
import { createResolver } from '../../../src/dns/resolver.js';
import { parseSpf } from '../../../src/dns/spf-record.js';
import { runDoctor, type DoctorReport } from '../../../src/doctor/index.js';
import { renderReport } from '../../../src/doctor/render.js';

const DOMAIN = 'x.example.test';
let dns: DnsServer;
beforeAll(async () => {
  dns = await startDnsServer();
});
afterAll(async () => {
  await dns.close();
});

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: { write: (s: string) => out.push(s), isTTY: false }, stderr: { write: (s: string) => err.push(s) }, clock: new ManualClock() },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

/** Every SPF record the report proposes, anywhere (checks and receivers). */
function spfFixes(report: DoctorReport): string[] {
  const fixes = [...report.checks.map((c) => c.fix), ...report.receivers.flatMap((r) => r.fixes)];
  return fixes.filter((f) => f !== undefined && f.type === 'TXT' && /^v=spf1\b/i.test(f.value)).map((f) => f!.value);
}

/** A record authorises a sender when some mechanism other than "all" can match (RFC 7208 §5). */
function authorisesSomeone(record: string): boolean {
  return parseSpf(record).terms.some((t) => t.kind === 'mechanism' && t.name !== 'all' && t.qualifier === '+');
}

describe('doctor --via that gives no sending IP (issue 13 #15)', () => {
  it('an include with no SPF record: the headline names it; no "v=spf1 ~all", no blame on the DNS, no "pass --ip or --via"', async () => {
    dns.zone.clear();
    dns.zone.set(DOMAIN, 'MX', ['10 mx.example.test']);
    const c = capture();
    const code = await doctorCommand([DOMAIN, '--via', 'nosuch.example.test', '--dns', dns.server], {}, c.io);
    const text = c.out();
    expect(code).toBe(2);
    const [title, headline] = text.split('\n');
    expect(title).toContain(`todoku doctor ${DOMAIN}`);
    expect(headline).toContain('--via nosuch.example.test');
    expect(headline).toContain('nosuch.example.test publishes no SPF record');
    expect(text).not.toContain('v=spf1 ~all');
    expect(text).not.toMatch(/TXT\s+"v=spf1/); // no SPF record proposed at all
    expect(text).not.toContain('pass --ip or --via');
    expect(text).not.toMatch(/DNS did not answer/);
    // Every receiver line points at the missing sender, not at the DNS.
    for (const line of text.split('\n').filter((l) => l.startsWith('? ') && !l.startsWith('? ='))) expect(line).toContain('nosuch.example.test');
  });

  it('JSON: via.expand says why; no SPF fix anywhere', async () => {
    dns.zone.clear();
    const c = capture();
    await doctorCommand([DOMAIN, '--via', 'nosuch.example.test', '--dns', dns.server, '--json'], {}, c.io);
    const report = JSON.parse(c.out()) as DoctorReport;
    const via = report.checks.find((f) => f.id === 'via.expand')!;
    expect(via).toMatchObject({ status: 'fail', evidence: { include: 'nosuch.example.test', reason: 'no-record' } });
    expect(spfFixes(report)).toEqual([]);
    expect(report.checks.find((f) => f.id === 'spf.from.present')!.message).toMatch(/no sending IP/);
  });

  it('an include with only ip6: ranges, and one that fails in the DNS: each says why', async () => {
    dns.zone.clear();
    dns.zone.set('v6only.example.test', 'TXT', ['v=spf1 ip6:2001:db8::/32 -all']);
    dns.zone.fail('broken.example.test', 'REFUSED');
    const resolve = createResolver({ servers: [dns.server], timeoutMs: 500, tries: 1 });
    const report = await runDoctor({ domain: DOMAIN, sendingIps: [], via: ['v6only.example.test', 'broken.example.test'] }, { resolve, clock: new ManualClock() });
    const vias = report.checks.filter((f) => f.id === 'via.expand');
    expect(vias.map((f) => [f.evidence.include, f.status, f.evidence.reason])).toEqual([
      ['v6only.example.test', 'fail', 'no-ip4'],
      ['broken.example.test', 'error', 'dns-error'],
    ]);
    expect(vias[0]!.message).toContain('no ip4: range');
    expect(vias[1]!.message).toContain('EREFUSED');
    expect(spfFixes(report)).toEqual([]);
    const text = renderReport(report, { color: false });
    expect(text.split('\n')[1]).toContain('--via v6only.example.test');
    expect(text.split('\n')[2]).toContain('--via broken.example.test');
    // Here the DNS is one of the causes, and the footnote says so.
    expect(text).toMatch(/DNS/);
  });

  it('a From domain without SPF and no known sender: no fix is proposed, the finding says what is missing', async () => {
    dns.zone.clear();
    const resolve = createResolver({ servers: [dns.server], timeoutMs: 500, tries: 1 });
    const report = await runDoctor({ domain: DOMAIN, sendingIps: [], via: ['nosuch.example.test'] }, { resolve, clock: new ManualClock() });
    const present = report.checks.find((f) => f.id === 'spf.from.present')!;
    expect(present.fix).toBeUndefined();
    expect(present.message).toContain('no sending IP');
    for (const record of spfFixes(report)) expect(authorisesSomeone(record)).toBe(true);
  });

  it('one include fails, another works: the working one is checked, the failed one is still the headline', async () => {
    dns.zone.clear();
    dns.zone.set('relay.example.test', 'TXT', ['v=spf1 ip4:192.0.2.64/28 -all']);
    const resolve = createResolver({ servers: [dns.server], timeoutMs: 500, tries: 1 });
    const report = await runDoctor({ domain: DOMAIN, sendingIps: [], via: ['nosuch.example.test', 'relay.example.test'] }, { resolve, clock: new ManualClock() });
    expect(report.sendingIps).toEqual(['192.0.2.65']);
    expect(report.receivers.find((r) => r.id === 'docomo')!.fixes).toEqual([{ name: DOMAIN, type: 'TXT', value: 'v=spf1 include:relay.example.test ~all' }]);
    const text = renderReport(report, { color: false });
    expect(text.split('\n')[1]).toContain('--via nosuch.example.test');
    expect(text).not.toContain('include:nosuch.example.test ~all');
  });
});
