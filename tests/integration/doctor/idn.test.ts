// issue 13 #16: internationalised domain names. `todoku domain add 例え.jp` stores xn--r8jz45g.jp,
// but `todoku doctor 例え.jp` answered "is not a domain name". Every name the doctor takes —
// positional, --from's domain part, --mail-from, --helo, --via — is accepted in Unicode and in
// punycode, asked of the DNS in ASCII (RFC 5890 A-labels), and shown in both forms.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDnsServer, type DnsServer } from '../../helpers/dns-server.js';
import { doctorCommand } from '../../../src/cli/doctor.js';
import { domainCommand } from '../../../src/cli/domain.js';
import { ManualClock } from '../../../src/core/clock.js';
import type { DoctorReport } from '../../../src/doctor/index.js';
import { ptrName } from '../../helpers/doctor-world.js';

const IP = '192.0.2.10';
const UNICODE = '例え.test';
const ASCII = 'xn--r8jz45g.test';
const MAIL_FROM_U = 'バウンス.例え.test';
const MAIL_FROM_A = 'xn--gckvbwd1g.xn--r8jz45g.test';
const HELO_U = '送信.例え.test';
const HELO_A = 'xn--vuq367m.xn--r8jz45g.test';
const RELAY_U = '中継.test';
const RELAY_A = 'xn--fiqz96i.test';

let dns: DnsServer;
beforeAll(async () => {
  dns = await startDnsServer();
});
afterAll(async () => {
  await dns.close();
});

function publish(): void {
  const z = dns.zone;
  z.clear();
  z.set(ASCII, 'TXT', [`v=spf1 ip4:${IP} include:${RELAY_A} -all`]);
  z.set(ASCII, 'MX', [`10 ${HELO_A}`]);
  z.set(MAIL_FROM_A, 'TXT', [`v=spf1 ip4:${IP} include:${RELAY_A} -all`]);
  z.set(MAIL_FROM_A, 'MX', [`10 ${HELO_A}`]);
  z.set(`_dmarc.${ASCII}`, 'TXT', ['v=DMARC1; p=none; rua=mailto:dmarc@xn--r8jz45g.test']);
  z.set(HELO_A, 'A', [IP]);
  z.set(ptrName(IP), 'PTR', [HELO_A]);
  z.set(RELAY_A, 'TXT', ['v=spf1 ip4:198.51.100.0/28 -all']);
}

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: { write: (s: string) => out.push(s), isTTY: false }, stderr: { write: (s: string) => err.push(s) }, clock: new ManualClock() },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

function check(report: DoctorReport, id: string) {
  return report.checks.find((c) => c.id === id)!;
}

describe('doctor and internationalised domain names (issue 13 #16)', () => {
  it.each([[UNICODE], [ASCII], ['XN--R8JZ45G.TEST']])('the positional %s is accepted; the report has the A-label and the Unicode form', async (name) => {
    publish();
    const c = capture();
    const code = await doctorCommand([name, '--ip', IP, '--dns', dns.server, '--json'], {}, c.io);
    expect(c.err()).toBe('');
    expect(code).not.toBe(2);
    const report = JSON.parse(c.out());
    expect(report.domain).toBe(ASCII);
    expect(report.domainUnicode).toBe(UNICODE);
    expect(check(report, 'spf.from.result').status).toBe('pass');
  });

  it('--from (Unicode domain, legacy quoted local part), --mail-from, --helo and --via in Unicode are asked of the DNS in ASCII', async () => {
    publish();
    const c = capture();
    const code = await doctorCommand(
      [UNICODE, '--from', `"taro..yamada"@${UNICODE}`, '--mail-from', MAIL_FROM_U, '--helo', HELO_U, '--ip', IP, '--via', RELAY_U, '--dns', dns.server, '--json'],
      {},
      c.io,
    );
    expect(c.err()).toBe('');
    expect(code).not.toBe(2);
    const report = JSON.parse(c.out()) as DoctorReport;
    expect(report.domain).toBe(ASCII);
    expect(report.sendingIps).toEqual([IP, '198.51.100.1']);
    expect(check(report, 'via.expand')).toMatchObject({ status: 'pass', evidence: { include: RELAY_A } });
    expect(check(report, 'spf.mailfrom.result')).toMatchObject({ status: 'pass', evidence: { domain: MAIL_FROM_A } });
    expect(check(report, 'helo.resolves')).toMatchObject({ status: 'pass', evidence: { helo: HELO_A } });
    expect(check(report, 'mailfrom.mx').status).toBe('pass');
    expect(check(report, 'pra.order').message).toContain(`"taro..yamada"@${ASCII}`);
  });

  it('punycode flags work the same', async () => {
    publish();
    const c = capture();
    const code = await doctorCommand([ASCII, '--from', `no-reply@${ASCII}`, '--mail-from', MAIL_FROM_A, '--helo', HELO_A, '--via', RELAY_A, '--ip', IP, '--dns', dns.server, '--json'], {}, c.io);
    expect(c.err()).toBe('');
    expect(code).not.toBe(2);
    expect(check(JSON.parse(c.out()), 'spf.mailfrom.result').status).toBe('pass');
  });

  it('the human output shows both forms', async () => {
    publish();
    const c = capture();
    await doctorCommand([UNICODE, '--ip', IP, '--dns', dns.server], {}, c.io);
    expect(c.out().split('\n')[0]).toContain(`todoku doctor ${ASCII} (${UNICODE})`);
  });

  it('an ASCII domain gets no Unicode field (the JSON contract is unchanged)', async () => {
    publish();
    dns.zone.set('example.test', 'TXT', [`v=spf1 ip4:${IP} -all`]);
    const c = capture();
    await doctorCommand(['example.test', '--ip', IP, '--dns', dns.server, '--json'], {}, c.io);
    expect(Object.keys(JSON.parse(c.out()))).toEqual(['domain', 'sendingIps', 'checks', 'receivers']);
  });

  it.each([['xn--zz.test'], ['xn--abc-.test'], ['例え..test'], ['a_b.例え.test']])('%s is not a domain name (exit 2)', async (name) => {
    const c = capture();
    expect(await doctorCommand([name, '--ip', IP, '--dns', dns.server], {}, c.io)).toBe(2);
    expect(c.err()).toContain('is not a domain name');
  });

  it('a sending identity added as 例え.test is found by `doctor 例え.test` and by its punycode', async () => {
    publish();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'todoku-idn-'));
    try {
      const env = { TODOKU_DATA_DIR: dataDir, TODOKU_DNS_SERVERS: dns.server, TODOKU_SENDING_IPS: IP, TODOKU_HELO_NAME: HELO_A, TODOKU_SECRET: 'x'.repeat(64) };
      const added: string[] = [];
      const notes: string[] = [];
      expect(await domainCommand(['add', UNICODE, '--format', 'json'], env, { out: (t) => added.push(t), err: (t) => notes.push(t) })).toBe(0);
      const identity = JSON.parse(added.join(''));
      expect(identity.domain).toBe(ASCII);
      const selector = identity.dkim.selectors[0].selector as string;
      for (const name of [UNICODE, ASCII]) {
        const c = capture();
        await doctorCommand([name, '--json'], env, c.io);
        expect(c.err()).toBe('');
        const report = JSON.parse(c.out()) as DoctorReport;
        // The identity's own input: its MAIL FROM subdomain and its DKIM selector.
        expect(check(report, 'spf.mailfrom.present').evidence.domain).toBe(`bounce.${ASCII}`);
        expect(check(report, 'dkim.record').evidence.selector).toBe(selector);
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
