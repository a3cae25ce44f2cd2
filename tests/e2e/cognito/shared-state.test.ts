// Lockouts, request limits, users and signing keys live in the database: they hold across
// a restart and across two todoku processes on one database (SQLite file, or one
// PostgreSQL schema), as several stateless processes on PostgreSQL are the scale-out.
import { afterEach, describe, expect, it } from 'vitest';
import { GetUserCommand, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startTestServer, testDatabase, type TestServer } from '../../helpers/server.js';
import { confirmedUser, passwordSignIn, verifiers, PASSWORD } from '../../helpers/sign-in.js';

const running: TestServer[] = [];
afterEach(async () => {
  // Servers sharing a data dir / schema: close the second first, the owner last.
  while (running.length > 0) await running.pop()!.close();
});

async function pair(env: Record<string, string> = {}): Promise<[TestServer, TestServer]> {
  const a = await startTestServer({ env });
  running.push(a);
  const b = await startTestServer({ env, dataDir: a.dataDir, ...(a.pgSchema ? { pgSchema: a.pgSchema } : {}) });
  running.push(b);
  return [a, b];
}

const wrong = (srv: TestServer, email: string) =>
  srv.publicClient
    .send(new InitiateAuthCommand({ ClientId: srv.demo.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: 'Wr0ng!pass' } }))
    .catch((e: Error) => e);

describe('state shared through the database', () => {
  it('a lockout earned on one process holds on the other', async () => {
    const [a, b] = await pair();
    expect(b.demo).toEqual(a.demo);
    // One frozen instant on both: the first lockout lasts 1 s, which a loaded machine can spend
    // between the fifth failure and the next request.
    a.clock.freeze();
    b.clock.set(a.clock.nowMs());
    b.clock.freeze();
    const email = 'locked@example.jp';
    await confirmedUser(a, email);
    for (let i = 0; i < 5; i++) expect(((await wrong(i % 2 ? a : b, email)) as Error).name).toBe('NotAuthorizedException');
    // The right password is refused on both during the lockout.
    for (const srv of [a, b]) {
      const err = await passwordSignIn(srv, email, PASSWORD).catch((e: Error) => e);
      expect((err as Error).message).toBe('Password attempts exceeded');
    }
  });

  it('per-IP request limits count requests sent to either process', async () => {
    const [a, b] = await pair({ TODOKU_RATE_USER_AUTHENTICATION: '4' });
    a.clock.freeze();
    b.clock.set(a.clock.nowMs());
    b.clock.freeze();
    const results = [];
    for (let i = 0; i < 6; i++) results.push(((await wrong(i % 2 ? a : b, 'nobody@example.jp')) as Error).name);
    expect(results.slice(0, 4)).toEqual(Array(4).fill('NotAuthorizedException'));
    expect(results.slice(4)).toEqual(['TooManyRequestsException', 'TooManyRequestsException']);
  });

  it('a restart keeps users, sessions and signing keys: old tokens still verify and still work', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'todoku-restart-'));
    const pgSchema = testDatabase() === 'postgres' ? `r_${randomBytes(6).toString('hex')}` : undefined;
    // A deployment's public URL does not change on restart (the test's port does).
    const options = { dataDir, env: { TODOKU_PUBLIC_URL: 'https://auth.example.test' }, ...(pgSchema ? { pgSchema } : {}) };
    const email = 'restart@example.jp';
    try {
      const first = await startTestServer(options);
      await confirmedUser(first, email);
      const tokens = await passwordSignIn(first, email);
      const demo = first.demo;
      await first.close();

      const second = await startTestServer(options);
      running.push(second);
      expect(second.demo).toEqual(demo);
      expect(second.server.secrets.adminCreatedNow).toBe(false);
      // Same keys: the token signed before the restart verifies against the new JWKS.
      const v = await verifiers(second);
      expect((await v.access(tokens.AccessToken!)).username).toBeDefined();
      const user = await second.publicClient.send(new GetUserCommand({ AccessToken: tokens.AccessToken! }));
      expect(user.UserAttributes?.find((a) => a.Name === 'email')?.Value).toBe(email);
      const refreshed = await second.publicClient.send(
        new InitiateAuthCommand({ ClientId: demo.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! } }),
      );
      expect(refreshed.AuthenticationResult?.AccessToken).toBeDefined();
    } finally {
      while (running.length > 0) await running.pop()!.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (pgSchema) {
        const client = new pg.Client({ connectionString: process.env.TODOKU_TEST_DATABASE_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${pgSchema} CASCADE`);
        await client.end();
      }
    }
  });
});
