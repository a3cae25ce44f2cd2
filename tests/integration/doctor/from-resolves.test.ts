// issue 13 #16, second half: docomo's current sender notice asks for an A or MX record on the
// header-From domain (CARRIERS.md, "What a refusal looks like"). The doctor checks it as
// `from.resolves`; docomo publishes no refusal for its absence, so it is a warning that names
// docomo's request, and no verdict changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDnsServer, type DnsServer } from '../../helpers/dns-server.js';
import { exitCodeFor } from '../../../src/doctor/index.js';
import { renderReport } from '../../../src/doctor/render.js';
import { docomo } from '../../../src/doctor/receivers/docomo.js';
import { ALL_ACCEPT, FROM, check, doctor, goodInput, publishGood, rsaKeys, verdicts, type Keys } from '../../helpers/doctor-world.js';

let dns: DnsServer;
let keys: Keys;
beforeAll(async () => {
  dns = await startDnsServer();
  keys = rsaKeys();
});
afterAll(async () => {
  await dns.close();
});

describe('from.resolves: an A or MX record on the From domain (docomo)', () => {
  it('MX only, A only: pass', async () => {
    publishGood(dns, keys);
    expect(check(await doctor(dns, goodInput(keys)), 'from.resolves')).toMatchObject({ status: 'pass', evidence: { domain: FROM } });
    dns.zone.set(FROM, 'MX', []);
    dns.zone.set(FROM, 'A', ['192.0.2.80']);
    expect(check(await doctor(dns, goodInput(keys)), 'from.resolves')).toMatchObject({ status: 'pass', evidence: { a: ['192.0.2.80'] } });
  });

  it('neither (a null MX is none): a warning naming docomo’s request; no record is proposed; every receiver still accepts', async () => {
    publishGood(dns, keys);
    dns.zone.set(FROM, 'MX', [{ priority: 0, exchange: '' }]);
    const report = await doctor(dns, goodInput(keys));
    const f = check(report, 'from.resolves');
    expect(f.status).toBe('warn');
    expect(f.message).toContain(`${FROM} has neither an A nor an MX record`);
    expect(f.message).toContain('docomo');
    expect(f.fix).toBeUndefined();
    expect(verdicts(report)).toEqual(ALL_ACCEPT);
    expect(exitCodeFor(report)).toBe(0);
    // docomo's result says which of its requests is not met, in its own words.
    const d = report.receivers.find((r) => r.id === 'docomo')!;
    expect(d.because.some((b) => /A or MX record on the From domain/.test(b))).toBe(true);
    expect(renderReport(report, { color: false })).toMatch(/warn\s+from\.resolves: .*docomo/);
  });

  it('a DNS failure is an error, not a missing record', async () => {
    publishGood(dns, keys);
    dns.zone.set(FROM, 'MX', []);
    dns.zone.fail(`${FROM}`, 'SERVFAIL');
    const report = await doctor(dns, { ...goodInput(keys) });
    expect(check(report, 'from.resolves').status).toBe('error');
  });

  it("docomo's profile cites the notice and treats it as a request, not a refusal", () => {
    expect(docomo.sources.some((s) => /A or MX/.test(s))).toBe(true);
    expect(docomo.rules.some((r) => JSON.stringify(r.when).includes('from.resolves'))).toBe(false);
    expect(docomo.asks?.map((a) => a.check)).toEqual(['from.resolves']);
  });
});
