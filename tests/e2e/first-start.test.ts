// Processes started together on one empty database (a shared SQLite file, or one PostgreSQL
// schema) create one first signing key and one demo pool between them, and all of them report
// and serve those: the first-start work runs under a database-wide lock, and the later
// process finds what the first created.
import { afterEach, describe, expect, it } from 'vitest';
import { ListUserPoolsCommand } from '@aws-sdk/client-cognito-identity-provider';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startTestServer, testDatabase, type TestServer } from '../helpers/server.js';
import { startTogether } from '../helpers/first-start.js';
import { openServerStore } from '../helpers/db.js';

// Child processes compile todoku from source (tsx) before the barrier releases them: on a
// loaded 2-core machine that alone can take most of vitest's default 30 s.
const PROCESSES_TIMEOUT_MS = 120_000;

const usePg = testDatabase() === 'postgres';
const pgUrl = process.env.TODOKU_TEST_DATABASE_URL;
let dataDir: string;
let pgSchema: string | undefined;
const running: TestServer[] = [];

afterEach(async () => {
  while (running.length > 0) await running.pop()!.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (pgSchema) {
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${pgSchema} CASCADE`);
    await client.end();
  }
});

function emptyDatabase() {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'todoku-first-start-'));
  pgSchema = usePg ? `f_${randomBytes(6).toString('hex')}` : undefined;
}

async function inspect<T>(fn: (store: Awaited<ReturnType<typeof openServerStore>>) => Promise<T>): Promise<T> {
  const store = await openServerStore({ dataDir, pgSchema });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

describe('first start on an empty database', () => {
  it('two servers starting at once make one signing key and one demo pool, and both report that pool', async () => {
    emptyDatabase();
    const options = { dataDir, ...(pgSchema ? { pgSchema } : {}) };
    const [a, b] = await Promise.all([startTestServer(options), startTestServer(options)]);
    running.push(a, b);
    expect(b.demo).toEqual(a.demo);
    const pools = await a.cognito.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    expect(pools.UserPools?.map((p) => p.Id)).toEqual([a.demo.poolId]);
    const keys = await a.store.keys.listKeys();
    expect(keys).toHaveLength(1);
    expect(keys[0]!.activatedAtMs).not.toBeNull();
    // Both publish (and sign with) that key.
    for (const srv of [a, b]) {
      const jwks = (await (await fetch(`${srv.url}/${a.demo.poolId}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
      expect(jwks.keys.map((k) => k.kid)).toEqual([keys[0]!.kid]);
    }
  });

  it('two processes released at the same instant share secrets, one signing key and one demo pool', async () => {
    emptyDatabase();
    type Started = { demo: { poolId: string; clientId: string; createdNow: boolean }; adminAccessKeyId: string; kids: string[] };
    const [a, b] = await startTogether<Started>(2, {
      mode: 'server',
      dataDir,
      ...(usePg ? { databaseUrl: pgUrl!, pgSchema: pgSchema! } : {}),
    });
    // Both print the same pool, client, admin key and signing key; one of them created the pool.
    const printed = (s: Started) => ({ ...s, demo: { poolId: s.demo.poolId, clientId: s.demo.clientId } });
    expect(printed(b!)).toEqual(printed(a!));
    expect([a, b].filter((s) => s!.demo.createdNow)).toHaveLength(1);
    const { keys, pools } = await inspect(async (store) => ({
      keys: await store.keys.listKeys(),
      pools: await store.pools.listPools(60, undefined),
    }));
    expect(keys.map((k) => k.kid)).toEqual(a!.kids);
    expect(pools.map((p) => p.id)).toEqual([a!.demo.poolId]);
  }, PROCESSES_TIMEOUT_MS);
});
