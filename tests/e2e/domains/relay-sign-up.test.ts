// The fix the project exists for, end to end on loopback: a sending identity is added, its
// records published into an authoritative DNS server exactly as todoku printed them, a pool
// points at it, and a sign-up mail to a legacy docomo address reaches a receiving MTA from
// 127.0.0.2 with SPF (envelope and header From), DKIM (RSA + Ed25519) and DMARC passing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminGetUserCommand, SignUpCommand, UpdateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { cryptoRandom } from '../../../src/core/random.js';
import { createResolver } from '../../../src/dns/resolver.js';
import { DomainService, domainSettings, type DomainView } from '../../../src/domains/service.js';
import { domainSenderResolver } from '../../../src/domains/sender.js';
import { generateDkimKey } from '../../../src/domains/keys.js';
import { createRelayTransport } from '../../../src/mail/deliver/relay.js';
import type { SenderResolver } from '../../../src/mail/outgoing.js';
import { composeMime } from '../../../src/mail/compose/mime.js';
import type { Transport } from '../../../src/mail/deliver/transport.js';
import { startDnsServer, type DnsServer } from '../../helpers/dns-server.js';
import { startSmtpReceiver, type SmtpReceiver } from '../../helpers/smtp-receiver.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { HELO, SENDING_IP, relayEnv } from '../../helpers/relay.js';


let dns: DnsServer;
let receiver: SmtpReceiver;
let ts: TestServer;
let service: DomainService;
let transport: Transport;
let senders: SenderResolver;

function publish(view: DomainView): void {
  for (const r of view.records!) {
    if (r.type === 'MX') dns.zone.set(r.name, 'MX', [r.value]);
    else dns.zone.set(r.name, 'TXT', [r.value]);
  }
}

async function pointDemoPoolAt(from: string): Promise<void> {
  await ts.cognito.send(
    new UpdateUserPoolCommand({
      UserPoolId: ts.demo.poolId,
      AutoVerifiedAttributes: ['email'],
      EmailConfiguration: { EmailSendingAccount: 'DEVELOPER', From: from },
    }),
  );
}

beforeAll(async () => {
  dns = await startDnsServer();
  const resolve = createResolver({ servers: [dns.server], timeoutMs: 500, tries: 1 });
  receiver = await startSmtpReceiver(resolve);
  transport = createRelayTransport({ relayUrl: receiver.url, localAddress: SENDING_IP, heloName: HELO });
  // The sender resolver needs the key-encryption key the server derives at start.
  let real: SenderResolver | undefined;
  const lazy: SenderResolver = { resolve: (tx, pool) => real!.resolve(tx, pool) };
  ts = await startTestServer({
    env: relayEnv(receiver.url, dns.server),
    overrides: { transport, senders: lazy },
  });
  senders = domainSenderResolver({ keyEncryptionKey: ts.server.secrets.keyEncryptionKey, clock: ts.clock, mailMode: 'relay' });
  real = senders;
  service = new DomainService({
    store: ts.store,
    clock: ts.clock,
    random: cryptoRandom,
    keyEncryptionKey: ts.server.secrets.keyEncryptionKey,
    resolve,
    ...domainSettings(ts.deps.config),
  });
});

afterAll(async () => {
  await ts?.close();
  await transport?.close?.();
  await receiver?.close();
  await dns?.close();
});

describe('sign-up mail through a todoku sending identity (relay mode)', () => {
  it('refuses to send as an identity that is not verified yet, and creates nothing', async () => {
    await service.add({ domain: 'example.jp', dkim: 'rsa2048+ed25519' });
    await pointDemoPoolAt('Example <no-reply@example.jp>');
    await expect(
      ts.publicClient.send(new SignUpCommand({ ClientId: ts.demo.clientId, Username: 'early@docomo.ne.jp', Password: 'Passw0rd!x' })),
    ).rejects.toMatchObject({ name: 'CodeDeliveryFailureException', message: expect.stringMatching(/not verified/) });
    await expect(ts.cognito.send(new AdminGetUserCommand({ UserPoolId: ts.demo.poolId, Username: 'early@docomo.ne.jp' }))).rejects.toMatchObject({
      name: 'UserNotFoundException',
    });
    expect(receiver.messages).toHaveLength(0);
  });

  it('delivers to "taro..yamada"@docomo.ne.jp with SPF on both domains, DKIM and DMARC passing', async () => {
    publish(await service.get('example.jp'));
    const verified = await service.verify('example.jp');
    expect(verified).toMatchObject({ verified: true, mailFrom: { status: 'SUCCESS' }, spf: { status: 'SUCCESS' } });

    await ts.publicClient.send(new SignUpCommand({ ClientId: ts.demo.clientId, Username: 'taro..yamada@docomo.ne.jp', Password: 'Passw0rd!x' }));
    const [m] = await receiver.waitFor(1);
    expect(m).toMatchObject({
      remoteAddress: SENDING_IP,
      helo: HELO,
      mailFrom: 'bounce@bounce.example.jp',
      rcptTo: ['"taro..yamada"@docomo.ne.jp'],
      headerFrom: 'no-reply@example.jp',
      spfEnvelope: 'pass',
      spfHeaderFrom: 'pass',
      dmarc: 'pass',
    });
    expect(m!.dkim.map((d) => `${d.domain} ${d.algo} ${d.result}`).sort()).toEqual(['example.jp ed25519-sha256 pass', 'example.jp rsa-sha256 pass']);
    expect(m!.raw).toMatch(/^Message-ID: <[^@>]+@example\.jp>/im);

    // The outbox row records what the relay said.
    const [row] = await ts.store.outbox.listMessages('taro..yamada@docomo.ne.jp', 1);
    await expect.poll(async () => (await ts.store.outbox.findMessage(row!.id))?.status).toBe('sent');
    expect((await ts.store.outbox.findMessage(row!.id))!.lastReply).toMatch(/^250/);
  });

  it('fails DKIM when the published key is stale', async () => {
    const keys = await ts.store.domains.listDkimKeys('example.jp');
    const rsa = keys.find((k) => k.algorithm === 'rsa')!;
    const ed = keys.find((k) => k.algorithm === 'ed25519')!;
    const stale = await generateDkimKey('rsa');
    dns.zone.set(`${rsa.selector}._domainkey.example.jp`, 'TXT', [`v=DKIM1; k=rsa; p=${stale.publicKey}`]);
    dns.zone.set(`${ed.selector}._domainkey.example.jp`, 'TXT', []);
    await ts.publicClient.send(new SignUpCommand({ ClientId: ts.demo.clientId, Username: 'stale@docomo.ne.jp', Password: 'Passw0rd!x' }));
    const m = (await receiver.waitFor(2))[1]!;
    expect(m.dkim.every((d) => d.result !== 'pass')).toBe(true);
    expect(m.dkim.find((d) => d.algo === 'rsa-sha256')!.result).toBe('fail');
  });

  it("the article's set-up — foreign MAIL FROM, no SPF on the From domain — fails header-From SPF", async () => {
    // DKIM-signed for article.jp and DMARC-aligned through it, but the envelope is at a
    // provider's domain and article.jp publishes no SPF: docomo refuses this mail.
    const added = await service.add({ domain: 'article.jp', mailFromDomain: null });
    for (const r of added.records!) if (r.purpose === 'dkim' || r.purpose === 'dmarc') dns.zone.set(r.name, 'TXT', [r.value]);
    expect((await service.verify('article.jp')).verified).toBe(true);
    dns.zone.set('feedback.provider.test', 'TXT', [`v=spf1 ip4:${SENDING_IP} -all`]);
    const pool = { ...(await ts.store.pools.findPool(ts.demo.poolId))! };
    pool.settings = { ...pool.settings, EmailConfiguration: { EmailSendingAccount: 'DEVELOPER', From: 'no-reply@article.jp' } };
    const sender = await senders.resolve(ts.store, pool);
    const raw = await sender.sign(
      await composeMime({
        from: sender.fromHeader,
        to: 'hanako@docomo.ne.jp',
        subject: 'code',
        text: '123456',
        html: '<p>123456</p>',
        messageId: '<article-1@article.jp>',
        date: new Date(ts.clock.nowMs()),
        envelopeFrom: 'bounce@feedback.provider.test',
      }),
    );
    const outcome = await transport.send({
      id: 'article-1',
      poolId: null,
      kind: 'SIGN_UP',
      envelopeFrom: 'bounce@feedback.provider.test',
      recipient: 'hanako@docomo.ne.jp',
      fromHeader: sender.fromHeader,
      subject: 'code',
      textBody: '123456',
      htmlBody: null,
      raw,
      messageId: '<article-1@article.jp>',
      status: 'sending',
      attempts: 1,
      nextAttemptAtMs: 0,
      leaseOwner: null,
      leaseUntilMs: null,
      lastReply: null,
      createdAtMs: 0,
      updatedAtMs: 0,
    });
    expect(outcome.kind).toBe('delivered');
    const m = (await receiver.waitFor(3))[2]!;
    expect(m).toMatchObject({ spfEnvelope: 'pass', dmarc: 'pass' });
    expect(m.spfHeaderFrom).not.toBe('pass');
  });
});
