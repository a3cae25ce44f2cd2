// The configurations real teams ship, right and broken, served by a loopback DNS server; the
// expected verdict of every receiver follows CARRIERS.md:
// - docomo and SoftBank: SPF of the header-From domain must pass; docomo sends DMARC
//   p=quarantine failures to spam and refuses p=reject failures; SoftBank refuses DMARC failures.
// - au high: envelope From AND PRA must pass SPF; au medium: envelope only.
// - Gmail / Yahoo (all senders): SPF or DKIM, forward-confirmed PTR, DMARC policy honoured.
// - Gmail bulk: SPF and DKIM and a DMARC record and alignment.
// - Rakuten: no published policy — best practice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDnsServer, type DnsServer } from '../../helpers/dns-server.js';
import { exitCodeFor } from '../../../src/doctor/index.js';
import {
  ALL_ACCEPT, FROM, HELO, IP, MAIL_FROM, SELECTOR, check, doctor, goodInput, publishGood, rsaKeys, status, testSigner, verdicts,
  type Keys, type Verdicts,
} from '../../helpers/doctor-world.js';

let dns: DnsServer;
let keys: Keys;
let otherKeys: Keys;

beforeAll(async () => {
  dns = await startDnsServer();
  keys = rsaKeys();
  otherKeys = rsaKeys();
});
afterAll(async () => {
  await dns.close();
});

const carriersRefuseFromSpf: Verdicts = { ...ALL_ACCEPT, docomo: 'reject', 'au-high': 'reject', softbank: 'reject' };

describe('doctor: configurations', () => {
  it('all good: every receiver accepts, exit 0', async () => {
    publishGood(dns, keys);
    const report = await doctor(dns, goodInput(keys));
    expect(report.checks.filter((c) => c.status !== 'pass')).toEqual([]);
    expect(verdicts(report)).toEqual(ALL_ACCEPT);
    expect(exitCodeFor(report)).toBe(0);
  });

  it("Cognito/SES default sender: foreign MAIL FROM, no SPF on From → docomo, SoftBank, au high refuse; the fix makes them accept", async () => {
    publishGood(dns, keys);
    const z = dns.zone;
    z.set(FROM, 'TXT', []);
    z.set(`_dmarc.${FROM}`, 'TXT', []);
    z.set(`${SELECTOR}._domainkey.${FROM}`, 'TXT', []);
    // The provider: an SPF include with its ranges, its own MAIL FROM domain and DKIM key, PTRs.
    z.set('amazonses.test', 'TXT', ['v=spf1 ip4:198.51.100.0/28 ip4:203.0.113.16/28 -all']);
    z.set('amazonses.test', 'MX', ['10 feedback-smtp.amazonses.test']);
    z.set(`ses._domainkey.amazonses.test`, 'TXT', [`v=DKIM1; k=rsa; p=${otherKeys.p}`]);
    for (const [rev, ip, host] of [['1.100.51.198', '198.51.100.1', 'a1.amazonses.test'], ['17.113.0.203', '203.0.113.17', 'a2.amazonses.test']] as const) {
      z.set(`${rev}.in-addr.arpa`, 'PTR', [host]);
      z.set(host, 'A', [ip]);
    }
    const input = { domain: FROM, mailFromDomain: 'amazonses.test', sendingIps: [], via: ['amazonses.test'], dkim: [{ selector: 'ses', domain: 'amazonses.test' }] };
    const report = await doctor(dns, input);

    expect(report.sendingIps).toEqual(['198.51.100.1', '203.0.113.17']);
    expect(verdicts(report)).toEqual({ ...carriersRefuseFromSpf, 'gmail-bulk': 'reject' });
    expect(check(report, 'spf.from.present').status).toBe('fail');
    expect(check(report, 'dkim.aligned').status).toBe('fail');
    const docomo = report.receivers.find((r) => r.id === 'docomo')!;
    expect(docomo.reasons).toContain('spf.from.result');
    // The fix authorises the service by its include, merged into one record.
    expect(docomo.fixes).toEqual([{ name: FROM, type: 'TXT', value: 'v=spf1 include:amazonses.test ~all' }]);
    expect(exitCodeFor(report)).toBe(1);

    // Publish what the doctor asked for; the carriers now accept.
    for (const r of report.receivers) for (const f of r.fixes) z.set(f.name, f.type, [f.value]);
    const after = await doctor(dns, input);
    expect(verdicts(after)).toMatchObject({ docomo: 'accept', 'au-high': 'accept', 'au-medium': 'accept', softbank: 'accept' });
  });

  it('custom MAIL FROM with SPF but no SPF on the From domain: DMARC passes, docomo/SoftBank/au high still refuse', async () => {
    publishGood(dns, keys);
    dns.zone.set(FROM, 'TXT', []);
    const report = await doctor(dns, goodInput(keys));
    expect(check(report, 'dmarc.alignment').status).toBe('pass');
    expect(verdicts(report)).toEqual(carriersRefuseFromSpf);
    expect(report.receivers.find((r) => r.id === 'au-high')!.reasons).toContain('pra.order');
  });

  it('SPF not listing the sending IP (both domains): carriers refuse; DKIM keeps Gmail and Yahoo', async () => {
    publishGood(dns, keys);
    dns.zone.set(FROM, 'TXT', ['v=spf1 ip4:192.0.2.99 ~all']);
    dns.zone.set(MAIL_FROM, 'TXT', ['v=spf1 ip4:192.0.2.99 ~all']);
    const report = await doctor(dns, goodInput(keys));
    expect(verdicts(report)).toEqual({ ...carriersRefuseFromSpf, 'au-medium': 'reject', 'gmail-bulk': 'reject' });
    expect(check(report, 'spf.from.result').fix).toEqual({ name: FROM, type: 'TXT', value: `v=spf1 ip4:192.0.2.99 ip4:${IP} ~all` });
  });

  it('MAIL FROM subdomain without SPF, or with +all: the fix ends in -all, as todoku domain add publishes it', async () => {
    publishGood(dns, keys);
    dns.zone.set(MAIL_FROM, 'TXT', []);
    let report = await doctor(dns, goodInput(keys));
    expect(check(report, 'spf.mailfrom.present').fix).toEqual({ name: MAIL_FROM, type: 'TXT', value: `v=spf1 ip4:${IP} -all` });
    dns.zone.set(MAIL_FROM, 'TXT', ['v=spf1 mx +all']);
    report = await doctor(dns, goodInput(keys));
    expect(check(report, 'spf.mailfrom.all')).toMatchObject({ status: 'fail', fix: { value: `v=spf1 mx -all` } });
  });

  it('two SPF records on the From domain: permerror; the fix is one merged record', async () => {
    publishGood(dns, keys);
    dns.zone.set('other.test', 'TXT', ['v=spf1 ip4:198.51.100.7 -all']);
    dns.zone.set(FROM, 'TXT', [`v=spf1 ip4:${IP} -all`, 'v=spf1 include:other.test -all']);
    const report = await doctor(dns, goodInput(keys));
    expect(check(report, 'spf.from.single').status).toBe('fail');
    expect(check(report, 'spf.from.result').evidence.results).toMatchObject([{ result: 'permerror' }]);
    expect(check(report, 'spf.from.single').fix).toEqual({ name: FROM, type: 'TXT', value: `v=spf1 ip4:${IP} include:other.test -all` });
    expect(verdicts(report)).toEqual(carriersRefuseFromSpf);
  });

  it('11 DNS lookups: permerror for the From domain', async () => {
    publishGood(dns, keys);
    const includes: string[] = [];
    for (let i = 1; i <= 11; i++) {
      dns.zone.set(`s${i}.example.test`, 'TXT', [`v=spf1 ip4:198.51.100.${i} -all`]);
      includes.push(`include:s${i}.example.test`);
    }
    dns.zone.set(FROM, 'TXT', [`v=spf1 ${includes.join(' ')} ip4:${IP} -all`]);
    const report = await doctor(dns, goodInput(keys));
    expect(check(report, 'spf.from.lookups')).toMatchObject({ status: 'fail', evidence: { lookups: 11 } });
    expect(verdicts(report)).toEqual(carriersRefuseFromSpf);
    expect(report.receivers.find((r) => r.id === 'docomo')!.reasons).toEqual(['spf.from.result', 'spf.from.lookups']);
  });

  it('3 void lookups: permerror; the fix drops the dead terms', async () => {
    publishGood(dns, keys);
    dns.zone.set(FROM, 'TXT', [`v=spf1 a:gone1.example.test a:gone2.example.test include:gone3.example.test ip4:${IP} -all`]);
    const report = await doctor(dns, goodInput(keys));
    expect(check(report, 'spf.from.void')).toMatchObject({ status: 'fail', evidence: { voidLookups: 3 } });
    expect(check(report, 'spf.from.void').fix).toEqual({ name: FROM, type: 'TXT', value: `v=spf1 ip4:${IP} -all` });
    expect(verdicts(report)).toEqual(carriersRefuseFromSpf);
  });

  it('DKIM key missing: only Gmail bulk refuses (SPF alignment carries DMARC)', async () => {
    publishGood(dns, keys);
    dns.zone.set(`${SELECTOR}._domainkey.${FROM}`, 'TXT', []);
    const report = await doctor(dns, goodInput(keys));
    expect(status(report, 'dkim.record')).toEqual(['fail']);
    expect(verdicts(report)).toEqual({ ...ALL_ACCEPT, 'gmail-bulk': 'reject' });
    const bulk = report.receivers.find((r) => r.id === 'gmail-bulk')!;
    expect(bulk.fixes).toEqual([{ name: `${SELECTOR}._domainkey.${FROM}`, type: 'TXT', value: `v=DKIM1; k=rsa; p=${keys.p}` }]);
  });

  it('DKIM key truncated when pasted: record fails to parse', async () => {
    publishGood(dns, keys);
    dns.zone.set(`${SELECTOR}._domainkey.${FROM}`, 'TXT', [`v=DKIM1; k=rsa; p=${keys.p.slice(0, 200)}`]);
    const report = await doctor(dns, goodInput(keys));
    expect(check(report, 'dkim.record').message).toMatch(/truncated/);
    expect(verdicts(report)).toEqual({ ...ALL_ACCEPT, 'gmail-bulk': 'reject' });
  });

  it('DKIM key not ours: match and verification fail', async () => {
    publishGood(dns, keys);
    dns.zone.set(`${SELECTOR}._domainkey.${FROM}`, 'TXT', [`v=DKIM1; k=rsa; p=${otherKeys.p}`]);
    const report = await doctor(dns, goodInput(keys));
    expect(status(report, 'dkim.match')).toEqual(['fail']);
    expect(status(report, 'dkim.verify')).toEqual(['fail']);
    expect(verdicts(report)).toEqual({ ...ALL_ACCEPT, 'gmail-bulk': 'reject' });
  });

  it('DKIM 1024-bit key: verifies, flagged as weak', async () => {
    publishGood(dns, keys);
    const weak = rsaKeys(1024);
    dns.zone.set(`${SELECTOR}._domainkey.${FROM}`, 'TXT', [`v=DKIM1; k=rsa; p=${weak.p}`]);
    const report = await doctor(dns, goodInput(weak));
    expect(status(report, 'dkim.keysize')).toEqual(['warn']);
    expect(verdicts(report)).toEqual(ALL_ACCEPT);
  });

  it('DMARC missing: Gmail bulk refuses; the fix is a p=none record with reports', async () => {
    publishGood(dns, keys);
    dns.zone.set(`_dmarc.${FROM}`, 'TXT', []);
    const report = await doctor(dns, goodInput(keys));
    expect(verdicts(report)).toEqual({ ...ALL_ACCEPT, 'gmail-bulk': 'reject' });
    expect(check(report, 'dmarc.record').fix).toEqual({ name: `_dmarc.${FROM}`, type: 'TXT', value: `v=DMARC1; p=none; rua=mailto:dmarc-reports@${FROM}` });
  });

  it('DMARC malformed (no semicolons): treated as absent; the fix keeps the intended policy', async () => {
    publishGood(dns, keys);
    dns.zone.set(`_dmarc.${FROM}`, 'TXT', ['v=DMARC1 p=reject']);
    const report = await doctor(dns, goodInput(keys));
    expect(check(report, 'dmarc.record').message).toMatch(/malformed/);
    expect(check(report, 'dmarc.record').fix?.value).toBe(`v=DMARC1; p=reject; rua=mailto:dmarc-reports@${FROM}`);
    expect(verdicts(report)).toEqual({ ...ALL_ACCEPT, 'gmail-bulk': 'reject' });
  });

  it('p=reject with nothing aligned (foreign MAIL FROM, foreign DKIM d=): DMARC receivers refuse, au does not', async () => {
    publishGood(dns, keys);
    const z = dns.zone;
    z.set(`_dmarc.${FROM}`, 'TXT', ['v=DMARC1; p=reject; rua=mailto:dmarc@example.test']);
    z.set('bounce.esp.test', 'TXT', [`v=spf1 ip4:${IP} -all`]);
    z.set('bounce.esp.test', 'MX', ['10 mx.esp.test']);
    z.set(`${SELECTOR}._domainkey.esp.test`, 'TXT', [`v=DKIM1; k=rsa; p=${keys.p}`]);
    const input = { ...goodInput(keys), mailFromDomain: 'bounce.esp.test', dkim: [{ selector: SELECTOR, domain: 'esp.test', signTestMessage: testSigner(keys, 'esp.test') }] };
    const report = await doctor(dns, input);
    expect(check(report, 'dmarc.alignment').message).toMatch(/p=reject/);
    expect(verdicts(report)).toEqual({
      docomo: 'reject', 'au-high': 'accept', 'au-medium': 'accept', softbank: 'reject',
      rakuten: 'reject', gmail: 'reject', 'gmail-bulk': 'reject', yahoo: 'reject',
    });
  });

  it('kyoto.jp is a public suffix: MAIL FROM bounce.evil.kyoto.jp passes SPF but is not aligned with From shop.kyoto.jp; bounce.shop.kyoto.jp is', async () => {
    const z = dns.zone;
    z.clear();
    for (const name of ['shop.kyoto.jp', 'bounce.evil.kyoto.jp', 'bounce.shop.kyoto.jp']) {
      z.set(name, 'TXT', [`v=spf1 ip4:${IP} -all`]);
      z.set(name, 'MX', ['10 mx.shop.kyoto.jp']);
    }
    z.set('_dmarc.shop.kyoto.jp', 'TXT', ['v=DMARC1; p=reject; rua=mailto:dmarc@shop.kyoto.jp']);
    const foreign = await doctor(dns, { domain: 'shop.kyoto.jp', mailFromDomain: 'bounce.evil.kyoto.jp', sendingIps: [IP], dkim: [] });
    expect(check(foreign, 'spf.mailfrom.result').status).toBe('pass');
    expect(check(foreign, 'dmarc.alignment')).toMatchObject({ status: 'fail', evidence: { spf: { pass: true, aligned: false } } });
    const own = await doctor(dns, { domain: 'shop.kyoto.jp', mailFromDomain: 'bounce.shop.kyoto.jp', sendingIps: [IP], dkim: [] });
    expect(check(own, 'dmarc.alignment')).toMatchObject({ status: 'pass', evidence: { spf: { pass: true, aligned: true } } });
  });

  it('p=quarantine with nothing aligned: docomo puts it in the spam folder', async () => {
    publishGood(dns, keys);
    const z = dns.zone;
    z.set('bounce.esp.test', 'TXT', [`v=spf1 ip4:${IP} -all`]);
    z.set('bounce.esp.test', 'MX', ['10 mx.esp.test']);
    const input = { ...goodInput(keys), mailFromDomain: 'bounce.esp.test', dkim: [] };
    const report = await doctor(dns, input);
    expect(verdicts(report)).toEqual({
      docomo: 'spam', 'au-high': 'accept', 'au-medium': 'accept', softbank: 'reject',
      rakuten: 'spam', gmail: 'spam', 'gmail-bulk': 'reject', yahoo: 'spam',
    });
  });

  it('MAIL FROM domain without MX: flagged with the MX to publish, no receiver policy refuses on it', async () => {
    publishGood(dns, keys);
    dns.zone.set(MAIL_FROM, 'MX', []);
    const report = await doctor(dns, goodInput(keys));
    expect(check(report, 'mailfrom.mx')).toMatchObject({ status: 'fail', fix: { name: MAIL_FROM, type: 'MX', value: '10 mx.example.test' } });
    expect(verdicts(report)).toEqual(ALL_ACCEPT);
  });

  it('no PTR for the sending IP: Gmail and Yahoo refuse', async () => {
    publishGood(dns, keys);
    dns.zone.set('10.2.0.192.in-addr.arpa', 'PTR', []);
    const report = await doctor(dns, goodInput(keys));
    expect(check(report, 'ptr.fcrdns').fix).toEqual({ name: '10.2.0.192.in-addr.arpa', type: 'PTR', value: HELO });
    expect(verdicts(report)).toEqual({ ...ALL_ACCEPT, gmail: 'reject', 'gmail-bulk': 'reject', yahoo: 'reject' });
  });

  it('PTR not forward-confirmed: the name does not resolve back', async () => {
    publishGood(dns, keys);
    dns.zone.set('10.2.0.192.in-addr.arpa', 'PTR', ['host.provider.test']);
    const report = await doctor(dns, goodInput(keys));
    expect(check(report, 'ptr.fcrdns').status).toBe('fail');
    expect(verdicts(report)).toEqual({ ...ALL_ACCEPT, gmail: 'reject', 'gmail-bulk': 'reject', yahoo: 'reject' });
  });

  it("PTR whose name's address lookup fails: an error (the verdict is open), not a missing record", async () => {
    publishGood(dns, keys);
    dns.zone.set('10.2.0.192.in-addr.arpa', 'PTR', ['host.provider.test']);
    dns.zone.fail('host.provider.test', 'SERVFAIL');
    const report = await doctor(dns, goodInput(keys));
    expect(check(report, 'ptr.fcrdns').status).toBe('error');
    expect(verdicts(report)).toEqual({ ...ALL_ACCEPT, gmail: 'unknown', 'gmail-bulk': 'unknown', yahoo: 'unknown' });
  });

  it('a Sender header naming an unauthenticated domain: au high checks the PRA and refuses', async () => {
    publishGood(dns, keys);
    const report = await doctor(dns, { ...goodInput(keys), headers: { sender: 'ops@partner.test' } });
    expect(check(report, 'pra.order').evidence).toMatchObject({ header: 'Sender', domain: 'partner.test' });
    expect(verdicts(report)).toEqual({ ...ALL_ACCEPT, 'au-high': 'reject' });
  });

  it('+all on the From domain: passes everywhere but is flagged', async () => {
    publishGood(dns, keys);
    dns.zone.set(FROM, 'TXT', [`v=spf1 ip4:${IP} +all`]);
    const report = await doctor(dns, goodInput(keys));
    expect(check(report, 'spf.from.all')).toMatchObject({ status: 'fail', fix: { value: `v=spf1 ip4:${IP} ~all` } });
    expect(verdicts(report)).toEqual(ALL_ACCEPT);
  });

  it('DNS failing for the From domain: the checks are errors and the exit status is 2', async () => {
    publishGood(dns, keys);
    dns.zone.fail(FROM, 'SERVFAIL');
    const report = await doctor(dns, goodInput(keys));
    expect(check(report, 'spf.from.result').status).toBe('error');
    // The receivers that decide on the From domain's SPF are not guessed at.
    const byId = Object.fromEntries(report.receivers.map((r) => [r.id, r.verdict]));
    expect(byId.docomo).toBe('unknown');
    expect(byId.softbank).toBe('unknown');
    expect(exitCodeFor(report)).toBe(2);
  });
});
