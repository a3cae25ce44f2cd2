// The "Done when" of the sending-domains and doctor issues, as a newcomer would do it, on
// loopback: `todoku domain add` → publish the printed records into the zone (first as a team
// coming from SES would have it: DKIM, MAIL FROM and DMARC, but no SPF on the From domain) →
// `todoku doctor` says docomo, SoftBank and au (high) refuse and prints the record that fixes it →
// publish it → `todoku doctor` prints all ✓ → `todoku domain verify` → the demo pool sends as
// no-reply@example.test (real AWS SDK) → the next sign-up mail reaches a receiver running
// docomo's profile with SPF (both domains), DKIM and DMARC passing and the RCPT TO quoted.
//
// The server runs on its own relay-mode wiring (no overrides): TODOKU_SMTP_RELAY, _LOCAL_ADDRESS,
// _SENDING_IPS, _HELO_NAME, _DNS_SERVERS. The CLI opens the server's SQLite database; on
// PostgreSQL (whose test schema the CLI cannot name) the same steps go through the operator API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignUpCommand, UpdateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { domainCommand } from '../../../src/cli/domain.js';
import { doctorCommand } from '../../../src/cli/doctor.js';
import { exitCodeFor, type DoctorReport } from '../../../src/doctor/index.js';
import { renderReport } from '../../../src/doctor/render.js';
import { docomo } from '../../../src/doctor/receivers/docomo.js';
import { openPrivateKeyPem } from '../../../src/domains/keys.js';
import type { DomainView } from '../../../src/domains/service.js';
import { createResolver } from '../../../src/dns/resolver.js';
import { startDnsServer, type DnsServer } from '../../helpers/dns-server.js';
import { startSmtpReceiver, type SmtpReceiver } from '../../helpers/smtp-receiver.js';
import { startTestServer, testDatabase, type TestServer } from '../../helpers/server.js';
import { HELO, SENDING_IP, relayEnv } from '../../helpers/relay.js';

const DOMAIN = 'example.test';
const viaCli = testDatabase() === 'sqlite';

let dns: DnsServer;
let receiver: SmtpReceiver;
let ts: TestServer;
let cliEnv: Record<string, string>;

beforeAll(async () => {
  dns = await startDnsServer();
  receiver = await startSmtpReceiver(createResolver({ servers: [dns.server], timeoutMs: 1000, tries: 2 }), { profile: docomo, mta: 'mx.docomo.test' });
  const env = relayEnv(receiver.url, dns.server);
  ts = await startTestServer({ env });
  cliEnv = { ...env, TODOKU_DATA_DIR: ts.dataDir };
  // What the hosting provider sets up for the sending host, not todoku: its name and PTR.
  dns.zone.set(HELO, 'A', [SENDING_IP]);
  dns.zone.set('2.0.0.127.in-addr.arpa', 'PTR', [HELO]);
});

afterAll(async () => {
  await ts?.close();
  await receiver?.close();
  await dns?.close();
});

async function cli(command: typeof domainCommand, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await command(argv, cliEnv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join(''), err: err.join('') };
}

async function doctorCli(argv: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const code = await doctorCommand(argv, cliEnv, { stdout: { write: (s: string) => out.push(s), isTTY: false }, stderr: { write: (s: string) => out.push(s) } });
  return { code, out: out.join('') };
}

async function api(method: string, path: string, auth = true): Promise<{ status: number; text: string }> {
  const res = await fetch(`${ts.url}/_todoku/api/domains${path}`, {
    method,
    headers: { ...(auth ? { authorization: ts.basicAuth() } : {}), ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
    ...(method === 'POST' ? { body: path === '' ? JSON.stringify({ domain: DOMAIN, dkim: 'rsa2048+ed25519' }) : '{}' } : {}),
  });
  return { status: res.status, text: await res.text() };
}

/** `todoku domain add example.test --dkim rsa2048+ed25519 --format json`. */
async function add(): Promise<DomainView> {
  if (viaCli) {
    const r = await cli(domainCommand, ['add', DOMAIN, '--dkim', 'rsa2048+ed25519', '--format', 'json']);
    expect(r.code, r.err).toBe(0);
    return JSON.parse(r.out) as DomainView;
  }
  const r = await api('POST', '');
  expect(r.status).toBe(201);
  return JSON.parse(r.text) as DomainView;
}

/** `todoku domain verify example.test --format json`. */
async function verify(): Promise<{ code: number; view: DomainView }> {
  if (viaCli) {
    const r = await cli(domainCommand, ['verify', DOMAIN, '--format', 'json']);
    return { code: r.code, view: JSON.parse(r.out) as DomainView };
  }
  const r = await api('POST', `/${DOMAIN}/verify`);
  const view = JSON.parse(r.text) as DomainView;
  return { code: view.verified ? 0 : 1, view };
}

/** `todoku doctor example.test` with no flags: the identity's own input. Text, exit code, JSON. */
async function doctor(): Promise<{ code: number; text: string; report: DoctorReport }> {
  if (viaCli) {
    const text = await doctorCli([DOMAIN]);
    const json = await doctorCli([DOMAIN, '--json']);
    return { code: text.code, text: text.out, report: JSON.parse(json.out) as DoctorReport };
  }
  const r = await api('GET', `/${DOMAIN}/doctor`);
  const report = JSON.parse(r.text) as DoctorReport;
  return { code: exitCodeFor(report), text: renderReport(report, { color: false }), report };
}

function publish(records: DomainView['records']): void {
  for (const r of records!) dns.zone.set(r.name, r.type, [r.value]);
}

describe('Done when: todoku domain add → records → verify → pool → sign-up mail that docomo accepts', () => {
  let view: DomainView;

  it('domain add prints every record to publish', async () => {
    view = await add();
    expect(view.records!.map((r) => `${r.purpose} ${r.type} ${r.name}`).sort()).toEqual(
      [
        `dkim TXT ${view.dkim.selectors[0]!.selector}._domainkey.${DOMAIN}`,
        `dkim TXT ${view.dkim.selectors[1]!.selector}._domainkey.${DOMAIN}`,
        `dmarc TXT _dmarc.${DOMAIN}`,
        `from-spf TXT ${DOMAIN}`,
        `mail-from-mx MX bounce.${DOMAIN}`,
        `mail-from-spf TXT bounce.${DOMAIN}`,
      ].sort(),
    );
    expect(view.records!.find((r) => r.purpose === 'from-spf')!.value).toBe(`v=spf1 ip4:${SENDING_IP} ~all`);
  });

  it("with everything but SPF on the From domain (the SES set-up), the doctor says docomo, SoftBank and au (high) refuse, and prints the fix", async () => {
    publish(view.records!.filter((r) => r.purpose !== 'from-spf'));
    const { code, text, report } = await doctor();
    expect(code).toBe(1);
    expect(text).toMatch(/✗ docomo\s+reject/);
    expect(text).toMatch(/✗ au \(high\)\s+reject/);
    expect(text).toMatch(/✗ SoftBank \/ Y!mobile\s+reject/);
    expect(text).toMatch(/✓ au \(medium\)\s+accept/);
    expect(text).toMatch(/✓ Gmail\s+accept/);
    // The fix the doctor prints is the record `domain add` printed for the From domain.
    expect(text).toContain(`${DOMAIN}  TXT  "v=spf1 ip4:${SENDING_IP} ~all"`);
    const fromSpf = view.records!.find((r) => r.purpose === 'from-spf')!;
    expect(report.receivers.find((r) => r.id === 'docomo')!.fixes).toEqual([{ name: fromSpf.name, type: 'TXT', value: fromSpf.value }]);
    // The identity's own keys were used: both selectors verified with a test signature.
    expect(report.checks.filter((c) => c.id === 'dkim.verify').map((c) => `${String(c.evidence.selector)} ${c.status}`).sort()).toEqual(
      view.dkim.selectors.map((s) => `${s.selector} pass`).sort(),
    );
    expect(report.sendingIps).toEqual([SENDING_IP]);
  });

  it('after publishing exactly the printed records, the doctor prints all ✓ and domain verify succeeds', async () => {
    publish(view.records!);
    const { code, text, report } = await doctor();
    expect(text).not.toContain('✗');
    expect(report.receivers.every((r) => r.verdict === 'accept')).toBe(true);
    expect(code).toBe(0);

    const verified = await verify();
    expect(verified.code).toBe(0);
    expect(verified.view).toMatchObject({ verified: true, dkim: { status: 'SUCCESS' }, mailFrom: { status: 'SUCCESS' }, spf: { status: 'SUCCESS' } });
  });

  it('GET /_todoku/api/domains/<domain>/doctor answers the same report, for identities only, and no private key leaves', async () => {
    const r = await api('GET', `/${DOMAIN}/doctor`);
    expect(r.status).toBe(200);
    const report = JSON.parse(r.text) as DoctorReport;
    expect(Object.keys(report)).toEqual(['domain', 'sendingIps', 'checks', 'receivers']);
    expect(report.receivers.map((x) => [x.id, x.verdict])).toEqual(report.receivers.map((x) => [x.id, 'accept']));
    if (viaCli) {
      const fromCli = (await doctor()).report;
      expect(report.receivers).toEqual(fromCli.receivers);
    }

    const keyLines = (await ts.store.domains.listDkimKeys(DOMAIN))
      .map((k) => openPrivateKeyPem(k, ts.server.secrets.keyEncryptionKey))
      .flatMap((pem) => pem.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----')));
    expect(keyLines.length).toBeGreaterThan(0);
    const cliJson = viaCli ? (await doctorCli([DOMAIN, '--json'])).out : '';
    for (const text of [r.text, cliJson]) {
      expect(text).not.toMatch(/PRIVATE KEY/);
      for (const line of keyLines) expect(text).not.toContain(line);
    }

    expect((await api('GET', '/other.test/doctor')).status).toBe(404);
    expect((await api('GET', '/not_a_domain!/doctor')).status).toBe(400);
    expect((await api('GET', `/${DOMAIN}/doctor`, false)).status).toBe(401);
  });

  it.skipIf(!viaCli)('todoku doctor: --from/--helo adjust the identity\'s input; --ip, --via, --mail-from or --dkim-selector mean the flags alone', async () => {
    const adjusted = JSON.parse((await doctorCli([DOMAIN, '--json', '--helo', 'other.todoku.test'])).out) as DoctorReport;
    expect(adjusted.checks.find((c) => c.id === 'helo.resolves')).toMatchObject({ status: 'fail', evidence: { helo: 'other.todoku.test' } });
    expect(adjusted.checks.filter((c) => c.id === 'dkim.verify').every((c) => c.status === 'pass')).toBe(true);

    const flagsAlone = JSON.parse((await doctorCli([DOMAIN, '--json', '--ip', '127.0.0.9'])).out) as DoctorReport;
    expect(flagsAlone.sendingIps).toEqual(['127.0.0.9']);
    expect(flagsAlone.checks.find((c) => c.id === 'dkim.record')!.message).toMatch(/no DKIM selector given/);
    expect(flagsAlone.receivers.find((r) => r.id === 'docomo')!.verdict).toBe('reject');
  });

  it('the demo pool sends as no-reply@example.test; the sign-up mail to "taro..yamada"@docomo.ne.jp passes SPF (both), DKIM and DMARC', async () => {
    await ts.cognito.send(
      new UpdateUserPoolCommand({
        UserPoolId: ts.demo.poolId,
        AutoVerifiedAttributes: ['email'],
        EmailConfiguration: { EmailSendingAccount: 'DEVELOPER', From: `no-reply@${DOMAIN}` },
      }),
    );
    await ts.publicClient.send(new SignUpCommand({ ClientId: ts.demo.clientId, Username: 'taro..yamada@docomo.ne.jp', Password: 'Passw0rd!x' }));
    const [m] = await receiver.waitFor(1);
    expect(m).toMatchObject({
      remoteAddress: SENDING_IP,
      helo: HELO,
      mailFrom: `bounce@bounce.${DOMAIN}`,
      rcptTo: ['"taro..yamada"@docomo.ne.jp'],
      headerFrom: `no-reply@${DOMAIN}`,
      spfEnvelope: 'pass',
      spfHeaderFrom: 'pass',
      dmarc: 'pass',
      refused: false,
    });
    expect(m!.dkim.map((d) => `${d.domain} ${d.algo} ${d.result}`).sort()).toEqual([`${DOMAIN} ed25519-sha256 pass`, `${DOMAIN} rsa-sha256 pass`]);
    // The receiver ran docomo's profile on what it saw: accepted, as the doctor predicted.
    expect(m!.verdict).toMatchObject({ id: 'docomo', verdict: 'accept' });
    expect(m!.raw).toMatch(/^To: <?"taro\.\.yamada"@docomo\.ne\.jp>?$/im);
  });
});
