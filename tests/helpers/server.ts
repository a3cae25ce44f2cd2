// Starts a real todoku server on a random loopback port with a temporary data dir, on
// SQLite — or on PostgreSQL in its own schema when TODOKU_TEST_DB=postgres — and hands
// tests real AWS SDK clients pointed at it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { loadConfig } from '../../src/config/index.js';
import { OffsetClock } from '../../src/core/clock.js';
import { startServer, type RunningServer, type ServerOverrides } from '../../src/server.js';
import type { SqlStore as Store } from '../../src/storage/store.js';
import type { Deps } from '../../src/userpool/actions/types.js';

export interface CapturedMail {
  id: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  status: string;
  createdAt: string;
}

export interface TestServer {
  url: string;
  region: string;
  admin: { accessKeyId: string; secretAccessKey: string };
  demo: { poolId: string; clientId: string };
  /** Signed with the admin credentials: operator and public operations. */
  cognito: CognitoIdentityProviderClient;
  /** Signed with credentials todoku does not know: public operations must not care. */
  publicClient: CognitoIdentityProviderClient;
  store: Store;
  deps: Deps;
  /** Real time plus an offset: `advance(ms)` moves todoku's time forward. */
  clock: OffsetClock;
  server: RunningServer;
  dataDir: string;
  /** Captured mail to an address, newest first (waits for the outbox to be written). */
  mail(to: string): Promise<CapturedMail[]>;
  /** The 6-digit code in the newest captured mail to `to`. */
  latestCode(to: string): Promise<string>;
  /** The raw .eml of a captured message. */
  rawMail(id: string): Promise<string>;
  basicAuth(): string;
  close(): Promise<void>;
}

export function testDatabase(): 'sqlite' | 'postgres' {
  return process.env.TODOKU_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';
}

export interface TestServerOptions {
  env?: Record<string, string>;
  overrides?: ServerOverrides;
  /** Reuse a data dir (restart tests). */
  dataDir?: string;
  /** Reuse a PostgreSQL schema (restart tests). */
  pgSchema?: string;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer & { pgSchema: string | undefined }> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'todoku-test-'));
  const usePg = testDatabase() === 'postgres';
  const pgUrl = process.env.TODOKU_TEST_DATABASE_URL;
  if (usePg && !pgUrl) throw new Error('TODOKU_TEST_DB=postgres needs TODOKU_TEST_DATABASE_URL');
  const pgSchema = usePg ? (options.pgSchema ?? `t_${randomBytes(6).toString('hex')}`) : undefined;
  const config = loadConfig({
    TODOKU_PORT: '0',
    TODOKU_HOST: '127.0.0.1',
    TODOKU_DATA_DIR: dataDir,
    TODOKU_LOG_LEVEL: process.env.TODOKU_TEST_LOG ?? 'silent',
    ...(usePg ? { TODOKU_DATABASE_URL: pgUrl } : {}),
    ...options.env,
  });
  const clock = new OffsetClock();
  const server = await startServer(config, {
    clock,
    logger: { level: process.env.TODOKU_TEST_LOG ?? 'silent' },
    ...(pgSchema ? { pgSchema } : {}),
    ...options.overrides,
  });
  const url = server.url;
  if (!server.demo) throw new Error('demo pool was not created (CreateUserPool/CreateUserPoolClient missing?)');
  const admin = { accessKeyId: server.secrets.adminAccessKeyId, secretAccessKey: server.secrets.adminSecretAccessKey };
  const region = config.region;
  const cognito = new CognitoIdentityProviderClient({ endpoint: url, region, credentials: admin, maxAttempts: 1 });
  const publicClient = new CognitoIdentityProviderClient({
    endpoint: url,
    region,
    credentials: { accessKeyId: 'AKIDNOTKNOWNTOTODOKU', secretAccessKey: 'not-a-real-secret' },
    maxAttempts: 1,
  });
  const basicAuth = () => 'Basic ' + Buffer.from(`${admin.accessKeyId}:${admin.secretAccessKey}`).toString('base64');

  async function mail(to: string): Promise<CapturedMail[]> {
    const res = await fetch(`${url}/_todoku/mail?to=${encodeURIComponent(to)}`, { headers: { authorization: basicAuth() } });
    if (res.status !== 200) throw new Error(`GET /_todoku/mail → ${res.status}`);
    return (await res.json()) as CapturedMail[];
  }

  return {
    url,
    region,
    admin,
    demo: { poolId: server.demo.poolId, clientId: server.demo.clientId },
    cognito,
    publicClient,
    store: server.store,
    deps: server.deps,
    clock,
    server,
    dataDir,
    pgSchema,
    mail,
    async latestCode(to) {
      const [newest] = await mail(to);
      const m = newest ? /(?<!\d)(\d{6})(?!\d)/.exec(newest.text) : null;
      if (!m) throw new Error(`no code in captured mail to ${to}`);
      return m[1]!;
    },
    async rawMail(id) {
      const res = await fetch(`${url}/_todoku/mail/${id}.eml`, { headers: { authorization: basicAuth() } });
      if (res.status !== 200) throw new Error(`GET /_todoku/mail/${id}.eml → ${res.status}`);
      return res.text();
    },
    basicAuth,
    async close() {
      cognito.destroy();
      publicClient.destroy();
      await server.close();
      if (pgSchema && !options.pgSchema) {
        const client = new pg.Client({ connectionString: pgUrl });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${pgSchema} CASCADE`);
        await client.end();
      }
      if (!options.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
