// DomainService on a real migrated database, DNS from a loopback authoritative server.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { dkimVerify } from 'mailauth';
import { ManualClock } from '../../../src/core/clock.js';
import { cryptoRandom } from '../../../src/core/random.js';
import { createResolver } from '../../../src/dns/resolver.js';
import { DomainError, DomainService } from '../../../src/domains/service.js';
import { domainSenderResolver } from '../../../src/domains/sender.js';
import { checkPoolSender } from '../../../src/domains/pool-sender.js';
import { nextCheckAt, VERIFICATION_WINDOW_MS } from '../../../src/domains/verify.js';
import { composeMime } from '../../../src/mail/compose/mime.js';
import type { UserPool } from '../../../src/userpool/model.js';
import { openTestStore, type TestStore } from '../../helpers/db.js';
import { startDnsServer, type DnsServer } from '../../helpers/dns-server.js';
import type { DomainView } from '../../../src/domains/service.js';

let dns: DnsServer;
let db: TestStore;
let clock: ManualClock;
let service: DomainService;
const kek = randomBytes(32);

beforeAll(async () => {
  dns = await startDnsServer();
});
afterAll(async () => {
  await db?.close();
  await dns.close();
});

beforeEach(async () => {
  dns.zone.clear();
  await db?.close();
  db = await openTestStore();
  clock = new ManualClock(Date.UTC(2026, 0, 15));
  service = new DomainService({
    store: db.store,
    clock,
    random: cryptoRandom,
    keyEncryptionKey: kek,
    resolve: createResolver({ servers: [dns.server], timeoutMs: 300, tries: 1 }),
    sendingIps: ['127.0.0.2'],
    bounceHost: 'mx.todoku.test',
  });
});

function publish(view: DomainView): void {
  for (const r of view.records!) {
    if (r.type === 'MX') dns.zone.set(r.name, 'MX', [r.value]);
    else dns.zone.add(r.name, 'TXT', [r.value]);
  }
}

function pool(from: string | undefined): UserPool {
  return {
    id: 'ap-northeast-1_Test12345',
    name: 'p',
    settings: {
      Policies: { PasswordPolicy: { MinimumLength: 8, RequireLowercase: false, RequireUppercase: false, RequireNumbers: false, RequireSymbols: false, TemporaryPasswordValidityDays: 7 } },
      ...(from ? { EmailConfiguration: { EmailSendingAccount: 'DEVELOPER' as const, From: from } } : {}),
    },
    createdAtMs: 0,
    updatedAtMs: 0,
  };
}

async function expectDomainError(p: Promise<unknown>, code: string, field: string): Promise<DomainError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  expect((err as DomainError).code).toBe(code);
  expect((err as DomainError).field).toBe(field);
  return err as DomainError;
}

describe('adding an identity', () => {
  it('creates PENDING identity with RSA and Ed25519 keys sealed at rest, and its records', async () => {
    const v = await service.add({ domain: 'Example.JP.', dkim: 'rsa2048+ed25519' });
    expect(v).toMatchObject({ domain: 'example.jp', verified: false, mailFromDomain: 'bounce.example.jp', dkim: { status: 'PENDING' } });
    expect(v.dkim.selectors).toEqual([
      { selector: 'todoku202601', algorithm: 'rsa', active: true },
      { selector: 'todoku202601e', algorithm: 'ed25519', active: true },
    ]);
    expect(v.records!.filter((r) => r.purpose === 'dkim').map((r) => r.value.slice(0, 17))).toEqual(['v=DKIM1; k=rsa; p', 'v=DKIM1; k=ed2551']);
    expect(JSON.stringify(v)).not.toMatch(/PRIVATE KEY/);
    const keys = await db.store.domains.listDkimKeys('example.jp');
    expect(keys).toHaveLength(2);
    for (const k of keys) expect(k.privateKeyEncrypted).not.toMatch(/PRIVATE KEY/);
    const due = await db.store.domains.findDomain('example.jp');
    expect(due!.nextCheckAtMs).toBe(clock.nowMs() + 5 * 60_000);
  });

  it('refuses bad input and duplicates, naming the field, writing nothing', async () => {
    await expectDomainError(service.add({ domain: 'not a domain' }), 'InvalidParameter', 'domain');
    await expectDomainError(service.add({ domain: 'example.jp', mailFromDomain: 'bounce.other.jp' }), 'InvalidParameter', 'mailFromDomain');
    await expectDomainError(service.add({ domain: 'example.jp', dkim: 'rsa1024' }), 'InvalidParameter', 'dkim');
    await expectDomainError(service.add({ domain: 'example.jp', selector: 'Bad_Selector' }), 'InvalidParameter', 'selector');
    expect(await service.list()).toEqual([]);
    await service.add({ domain: 'example.jp', mailFromDomain: null });
    await expectDomainError(service.add({ domain: 'example.jp' }), 'AlreadyExists', 'domain');
    expect(await service.list()).toHaveLength(1);
  });
});

describe('verification', () => {
  it('is PENDING until published, SUCCESS once the exact records are there', async () => {
    const added = await service.add({ domain: 'example.jp' });
    let v = await service.verify('example.jp');
    expect(v.dkim.status).toBe('PENDING');
    expect(v.mailFrom.status).toBe('PENDING');
    publish(added);
    v = await service.verify('example.jp');
    expect(v).toMatchObject({ verified: true, dkim: { status: 'SUCCESS' }, mailFrom: { status: 'SUCCESS' }, spf: { status: 'SUCCESS' } });
    expect(v.nextCheckAt).toBe(new Date(clock.nowMs() + 24 * 3600_000).toISOString());
  });

  it('is FAILED with the reason when a different key is published', async () => {
    const added = await service.add({ domain: 'example.jp' });
    publish(added);
    const dkim = added.records!.find((r) => r.purpose === 'dkim')!;
    dns.zone.set(dkim.name, 'TXT', [`v=DKIM1; k=rsa; p=${'A'.repeat(40)}`]);
    const v = await service.verify('example.jp');
    expect(v.dkim.status).toBe('FAILED');
    expect(v.dkim.reason).toMatch(/does not match todoku's key/);
    expect(v.verified).toBe(false);
  });

  it('is TEMPORARY_FAILURE, not FAILED, when DNS does not answer', async () => {
    await service.add({ domain: 'example.jp' });
    dns.zone.fail('todoku202601._domainkey.example.jp', 'TIMEOUT');
    dns.zone.fail('bounce.example.jp', 'SERVFAIL');
    const v = await service.verify('example.jp');
    expect(v.dkim.status).toBe('TEMPORARY_FAILURE');
    expect(v.mailFrom.status).toBe('TEMPORARY_FAILURE');
  });

  it('re-checks on schedule while pending and gives up as FAILED after 72 hours', async () => {
    const added = await service.add({ domain: 'example.jp' });
    clock.advance(5 * 60_000);
    expect(await service.runDueChecks()).toBe(1);
    expect(await service.runDueChecks()).toBe(0);
    clock.advance(VERIFICATION_WINDOW_MS);
    expect(await service.runDueChecks()).toBe(1);
    const failed = await db.store.domains.findDomain('example.jp');
    expect(failed).toMatchObject({ dkimStatus: 'FAILED', nextCheckAtMs: null });
    expect(failed!.dkimReason).toMatch(/72 hours/);
    // Verifying on demand after publishing restarts the window and succeeds.
    publish(added);
    expect((await service.verify('example.jp')).verified).toBe(true);
  });

  it('schedules checks every 5 min, then 30 min, then hourly, ending at 72 h', () => {
    const t0 = 1_000_000;
    expect(nextCheckAt(['PENDING'], t0, t0)).toBe(t0 + 300_000);
    expect(nextCheckAt(['TEMPORARY_FAILURE'], t0, t0 + 2 * 3600_000)).toBe(t0 + 2 * 3600_000 + 1_800_000);
    expect(nextCheckAt(['PENDING'], t0, t0 + 30 * 3600_000)).toBe(t0 + 31 * 3600_000);
    expect(nextCheckAt(['PENDING'], t0, t0 + 71.5 * 3600_000)).toBe(t0 + VERIFICATION_WINDOW_MS);
    expect(nextCheckAt(['PENDING'], t0, t0 + VERIFICATION_WINDOW_MS)).toBeNull();
    expect(nextCheckAt(['FAILED', 'SUCCESS'], t0, t0)).toBeNull();
  });
});

describe('sending as an identity', () => {
  it('refuses COGNITO_DEFAULT, unknown and unverified domains with CodeDeliveryFailureException', async () => {
    const senders = domainSenderResolver({ keyEncryptionKey: kek, clock, mailMode: 'relay' });
    await expect(senders.resolve(db.store, pool(undefined))).rejects.toMatchObject({ type: 'CodeDeliveryFailureException', message: expect.stringMatching(/COGNITO_DEFAULT/) });
    await expect(senders.resolve(db.store, pool('no-reply@example.jp'))).rejects.toMatchObject({ type: 'CodeDeliveryFailureException', message: expect.stringMatching(/not a todoku sending identity/) });
    await service.add({ domain: 'example.jp' });
    await expect(senders.resolve(db.store, pool('no-reply@example.jp'))).rejects.toMatchObject({ type: 'CodeDeliveryFailureException', message: expect.stringMatching(/not verified/) });
  });

  it('signs with d= the From domain (RSA and Ed25519) and uses the MAIL FROM subdomain', async () => {
    const added = await service.add({ domain: 'example.jp', dkim: 'rsa2048+ed25519' });
    publish(added);
    await service.verify('example.jp');
    const senders = domainSenderResolver({ keyEncryptionKey: kek, clock, mailMode: 'relay' });
    const sender = await senders.resolve(db.store, pool('Example <no-reply@example.jp>'));
    expect(sender.envelopeFrom).toBe('bounce@bounce.example.jp');
    const raw = await composeMime({
      from: sender.fromHeader,
      to: 'taro..yamada@docomo.ne.jp',
      subject: '確認コード',
      text: '確認コードは 123456 です。',
      html: '<p>確認コードは 123456 です。</p>',
      messageId: '<m1@example.jp>',
      date: new Date(clock.nowMs()),
      envelopeFrom: sender.envelopeFrom,
    });
    const signed = await sender.sign(raw);
    const result = await dkimVerify(signed, { resolver: createResolver({ servers: [dns.server] }), curTime: new Date(clock.nowMs()) } as never);
    const statuses = result.results.map((r) => [r.signingDomain, r.status.result, (r as { algo?: string }).algo]);
    expect(statuses.sort()).toEqual([
      ['example.jp', 'pass', 'ed25519-sha256'],
      ['example.jp', 'pass', 'rsa-sha256'],
    ]);
  });

  it('falls back to the From address, or refuses, when MAIL FROM is not verified', async () => {
    const added = await service.add({ domain: 'example.jp' });
    for (const r of added.records!) if (r.purpose === 'dkim') dns.zone.set(r.name, 'TXT', [r.value]);
    await service.verify('example.jp');
    const senders = domainSenderResolver({ keyEncryptionKey: kek, clock, mailMode: 'relay' });
    expect((await senders.resolve(db.store, pool('no-reply@example.jp'))).envelopeFrom).toBe('no-reply@example.jp');
    await service.remove('example.jp');
    await service.add({ domain: 'example.jp', behaviorOnMxFailure: 'RejectMessage' });
    const again = await db.store.domains.listDkimKeys('example.jp');
    for (const k of again) dns.zone.set(`${k.selector}._domainkey.example.jp`, 'TXT', [`v=DKIM1; k=rsa; p=${k.publicKey}`]);
    await service.verify('example.jp');
    await expect(senders.resolve(db.store, pool('no-reply@example.jp'))).rejects.toMatchObject({ message: expect.stringMatching(/RejectMessage/) });
  });

  it('checkPoolSender accepts only todoku identities for DEVELOPER', async () => {
    await expect(checkPoolSender(db.store, { EmailSendingAccount: 'DEVELOPER', From: 'a@nowhere.jp' }, 'relay')).rejects.toMatchObject({
      type: 'InvalidParameterException',
      message: expect.stringMatching(/EmailConfiguration.From domain nowhere.jp/),
    });
    await expect(checkPoolSender(db.store, { EmailSendingAccount: 'DEVELOPER' }, 'capture')).rejects.toMatchObject({ type: 'InvalidParameterException' });
    await checkPoolSender(db.store, { EmailSendingAccount: 'COGNITO_DEFAULT' }, 'capture');
    await service.add({ domain: 'example.jp' });
    await checkPoolSender(db.store, { EmailSendingAccount: 'DEVELOPER', From: 'Example <no-reply@example.jp>' }, 'relay');
  });

  it('refuses to remove an identity a pool still sends as', async () => {
    await service.add({ domain: 'example.jp' });
    const p = pool('no-reply@example.jp');
    await db.store.pools.createPool(p);
    const err = await expectDomainError(service.remove('example.jp'), 'InUse', 'domain');
    expect(err.message).toContain(p.id);
    expect(await db.store.domains.findDomain('example.jp')).toBeDefined();
    await expectDomainError(service.remove('missing.jp'), 'NotFound', 'domain');
  });

  it('refuses to remove an identity a pool sends as through SourceArn alone (no From)', async () => {
    await service.add({ domain: 'example.jp' });
    const p = pool(undefined);
    p.settings.EmailConfiguration = { EmailSendingAccount: 'DEVELOPER', SourceArn: 'arn:aws:ses:ap-northeast-1:123456789012:identity/example.jp' };
    await db.store.pools.createPool(p);
    const err = await expectDomainError(service.remove('example.jp'), 'InUse', 'domain');
    expect(err.message).toContain(p.id);
    expect(await db.store.domains.findDomain('example.jp')).toBeDefined();
  });
});
