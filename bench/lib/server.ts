// A todoku server for benchmarks: started in-process as the tests start it (random
// loopback port, temporary data dir, embedded SQLite), with the per-IP rate limits off —
// every request comes from 127.0.0.1 and would otherwise be refused past Cognito's quotas —
// unless asked for the default quotas (then the load comes from many loopback addresses).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { loadConfig } from '../../src/config/index.js';
import { startServer, type RunningServer, type ServerOverrides } from '../../src/server.js';
import type { PasswordHasher } from '../../src/userpool/passwords.js';
import type { Database } from '../../src/storage/schema.js';

export const BENCH_PASSWORD = 'Bench-Passw0rd!';

export interface BenchServer {
  server: RunningServer;
  url: string;
  poolId: string;
  clientId: string;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * Diagnostic only: a hasher that does no work, to measure what an operation costs besides
 * argon2 (never used for a headline figure).
 */
export const noWorkHasher: PasswordHasher = { hash: async () => 'no-work-hash', verify: async () => true };

const QUOTAS_OFF = {
  TODOKU_RATE_USER_AUTHENTICATION: '0',
  TODOKU_RATE_USER_CREATION: '0',
  TODOKU_RATE_ACCOUNT_RECOVERY: '0',
  TODOKU_RATE_USER_ACCOUNT: '0',
  TODOKU_RATE_USER_RESOURCE: '0',
  TODOKU_RATE_USER_POOL_READ: '0',
  TODOKU_RATE_USER_POOL_RESOURCE: '0',
};

export interface BenchServerOptions extends ServerOverrides {
  /** Per-client-IP quotas: off (default), or the defaults a deployment runs with. */
  quotas?: 'off' | 'default';
}

export async function startBenchServer(options: BenchServerOptions = {}): Promise<BenchServer> {
  const { quotas = 'off', ...overrides } = options;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'todoku-bench-'));
  const config = loadConfig({
    TODOKU_PORT: '0',
    TODOKU_HOST: '127.0.0.1',
    TODOKU_DATA_DIR: dataDir,
    TODOKU_LOG_LEVEL: 'silent',
    ...(quotas === 'off' ? QUOTAS_OFF : {}),
  });
  const server = await startServer(config, { logger: false, ...overrides });
  if (!server.demo) throw new Error('the demo pool was not created');
  return {
    server,
    url: server.url,
    poolId: server.demo.poolId,
    clientId: server.demo.clientId,
    dataDir,
    async close() {
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function benchEmail(index: number): string {
  return `user${index}@bench.example.jp`;
}

/** Rows per INSERT statement: users has 15 columns, SQLite allows 32,766 bound values. */
const ROWS_PER_STATEMENT = 1000;
/** Users per transaction. */
const USERS_PER_TRANSACTION = 50_000;

/**
 * Inserts CONFIRMED users user<from>…user<from+count-1>@bench.example.jp straight into the
 * demo pool (email-as-username: the stored username is the sub and the key the email, as SignUp stores them), all
 * with the same argon2id hash — hashing a million passwords would take hours and measure
 * nothing the sign-in benchmark does not already measure.
 */
export async function insertUsers(db: Kysely<Database>, poolId: string, from: number, count: number, passwordHash: string): Promise<void> {
  const nowMs = Date.now();
  // A bigger page cache for the load only (random UUID keys touch pages all over the
  // indexes); the server's own setting is put back before anything is measured.
  const before = await sql<{ cache_size: number }>`PRAGMA cache_size`.execute(db);
  await sql.raw('PRAGMA cache_size = -262144').execute(db);
  for (let txStart = from; txStart < from + count; txStart += USERS_PER_TRANSACTION) {
    const txEnd = Math.min(from + count, txStart + USERS_PER_TRANSACTION);
    await db.transaction().execute(async (trx) => {
      for (let s = txStart; s < txEnd; s += ROWS_PER_STATEMENT) {
        const e = Math.min(txEnd, s + ROWS_PER_STATEMENT);
        const users: Database['users'][] = [];
        const attributes: Database['user_attributes'][] = [];
        for (let i = s; i < e; i++) {
          const sub = randomUUID();
          const email = benchEmail(i);
          users.push({
            sub,
            pool_id: poolId,
            username: sub,
            // As SignUp keys a user of an email-username pool: by the lower-cased email
            // (userKeys in src/userpool/common.ts), so sign-in finds it in one lookup.
            username_key: email,
            email_key: email,
            status: 'CONFIRMED',
            enabled: 1,
            password_hash: passwordHash,
            failed_sign_ins: 0,
            locked_until: 0,
            created_at: nowMs,
            updated_at: nowMs,
            temp_password_issued_at: null,
            pending_email: null,
          });
          attributes.push({ pool_id: poolId, user_sub: sub, name: 'email', value: email });
          attributes.push({ pool_id: poolId, user_sub: sub, name: 'email_verified', value: 'true' });
        }
        await trx.insertInto('users').values(users).execute();
        await trx.insertInto('user_attributes').values(attributes).execute();
      }
    });
  }
  // Fold the WAL back into the database file, as SQLite's automatic checkpoint would
  // shortly after a bulk load, so the measurement does not read through a 1 GB WAL.
  await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
  await sql.raw(`PRAGMA cache_size = ${Number(before.rows[0]?.cache_size ?? -2000)}`).execute(db);
}

/** Body of a USER_PASSWORD_AUTH InitiateAuth. */
export function signInBody(clientId: string, email: string, password = BENCH_PASSWORD): string {
  return JSON.stringify({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: email, PASSWORD: password } });
}

export interface Tokens {
  AccessToken: string;
  IdToken: string;
  RefreshToken: string;
}

/** Signs in (setup only, not measured) and returns the tokens. */
export async function signIn(url: string, clientId: string, email: string): Promise<Tokens> {
  const request = () =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth' },
      body: signInBody(clientId, email),
    });
  // fetch's pooled connection may have been closed by the server's keep-alive timeout
  // during a long bulk load; POST is not retried by fetch itself, so once here.
  const res = await request().catch(() => request());
  const json = (await res.json()) as { AuthenticationResult?: Tokens; message?: string };
  if (res.status !== 200 || !json.AuthenticationResult) throw new Error(`sign-in of ${email} failed: ${res.status} ${json.message ?? ''}`);
  return json.AuthenticationResult;
}
