// The operator API (through Fastify inject) and `todoku domain` (against a temp data dir).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import { ManualClock } from '../../../src/core/clock.js';
import { cryptoRandom } from '../../../src/core/random.js';
import { createResolver } from '../../../src/dns/resolver.js';
import { DomainService } from '../../../src/domains/service.js';
import { registerDomainRoutes } from '../../../src/http/operator/domains.js';
import { domainCommand } from '../../../src/cli/domain.js';
import { openTestStore, type TestStore } from '../../helpers/db.js';
import { startDnsServer, type DnsServer } from '../../helpers/dns-server.js';

let dns: DnsServer;
let db: TestStore;
beforeAll(async () => {
  dns = await startDnsServer();
  db = await openTestStore();
});
afterAll(async () => {
  await db.close();
  await dns.close();
});

describe('operator API /_todoku/api/domains', () => {
  const admin = { accessKeyId: 'AKTDTESTTESTTEST', secretAccessKey: 'secret-secret-secret' };
  const auth = { authorization: 'Basic ' + Buffer.from(`${admin.accessKeyId}:${admin.secretAccessKey}`).toString('base64') };

  it('adds, shows, lists, verifies and removes an identity; refuses bad input and no credentials', async () => {
    const app = Fastify();
    const service = new DomainService({
      store: db.store,
      clock: new ManualClock(),
      random: cryptoRandom,
      keyEncryptionKey: randomBytes(32),
      resolve: createResolver({ servers: [dns.server], timeoutMs: 300, tries: 1 }),
      sendingIps: ['192.0.2.10'],
      bounceHost: 'mx.todoku.test',
    });
    registerDomainRoutes(app, { domains: service, admin });

    expect((await app.inject({ method: 'GET', url: '/_todoku/api/domains' })).statusCode).toBe(401);
    const created = await app.inject({ method: 'POST', url: '/_todoku/api/domains', headers: auth, payload: { domain: 'api.example.jp', dkim: 'rsa2048' } });
    expect(created.statusCode).toBe(201);
    const body = created.json() as { domain: string; records: { name: string; type: string; value: string; purpose: string }[] };
    expect(body.domain).toBe('api.example.jp');
    expect(body.records.map((r) => r.purpose)).toEqual(['dkim', 'mail-from-mx', 'mail-from-spf', 'from-spf', 'dmarc']);
    expect(created.body).not.toMatch(/PRIVATE|privateKey/);

    const dup = await app.inject({ method: 'POST', url: '/_todoku/api/domains', headers: auth, payload: { domain: 'api.example.jp' } });
    expect(dup.statusCode).toBe(409);
    const bad = await app.inject({ method: 'POST', url: '/_todoku/api/domains', headers: auth, payload: { domain: 'x.jp', mailFromDomain: 'mail.y.jp' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'InvalidParameter', field: 'mailFromDomain' });

    expect((await app.inject({ method: 'GET', url: '/_todoku/api/domains', headers: auth })).json()).toMatchObject({ domains: [{ domain: 'api.example.jp' }] });
    const zone = await app.inject({ method: 'GET', url: '/_todoku/api/domains/api.example.jp/records?format=zone', headers: auth });
    expect(zone.body).toMatch(/_domainkey\.api\.example\.jp\. 3600 IN TXT \(/);

    for (const r of body.records) dns.zone.set(r.name, r.type as 'TXT' | 'MX', [r.value]);
    const verified = await app.inject({ method: 'POST', url: '/_todoku/api/domains/api.example.jp/verify', headers: auth });
    expect(verified.json()).toMatchObject({ verified: true, dkim: { status: 'SUCCESS' } });

    expect((await app.inject({ method: 'DELETE', url: '/_todoku/api/domains/api.example.jp', headers: auth })).statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/_todoku/api/domains/api.example.jp', headers: auth })).statusCode).toBe(404);
    await app.close();
  });
});

describe('todoku domain', () => {
  it('add prints the records, verify checks them, list and remove', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'todoku-cli-'));
    const env = { TODOKU_DATA_DIR: dataDir, TODOKU_DNS_SERVERS: dns.server, TODOKU_SENDING_IPS: '192.0.2.20', TODOKU_HELO_NAME: 'mx.todoku.test', TODOKU_SECRET: 'cli-test-secret' };
    const run = async (...argv: string[]) => {
      let out = '';
      let err = '';
      const code = await domainCommand(argv, env, { out: (t) => (out += t), err: (t) => (err += t) });
      return { code, out, err };
    };
    try {
      const added = await run('add', 'cli.example.jp', '--dkim', 'rsa2048+ed25519', '--format', 'json');
      expect(added.code).toBe(0);
      const view = JSON.parse(added.out) as { records: { name: string; type: 'TXT' | 'MX'; value: string }[] };
      expect((await run('add', 'cli.example.jp')).code).toBe(2);
      expect((await run('add', 'cli.example.jp', '--bogus')).code).toBe(2);

      const pending = await run('verify', 'cli.example.jp');
      expect(pending.code).toBe(1);
      expect(pending.out).toMatch(/DKIM\s+PENDING/);
      expect(pending.out).toMatch(/Records to publish/);

      for (const r of view.records) dns.zone.set(r.name, r.type, [r.value]);
      const ok = await run('verify', 'cli.example.jp');
      expect(ok.out).toMatch(/cli\.example\.jp: verified/);
      expect(ok.code).toBe(0);

      expect((await run('records', 'cli.example.jp', '--format', 'route53')).out).toMatch(/"Action": "UPSERT"/);
      expect((await run('list')).out).toMatch(/cli\.example\.jp: verified/);
      expect((await run('remove', 'cli.example.jp')).code).toBe(0);
      expect((await run('list')).out).toMatch(/No sending identities/);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
