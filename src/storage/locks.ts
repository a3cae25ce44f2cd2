// Database-wide locks that serialise work across todoku processes sharing one database:
// first-start initialisation (migrations, the first signing key, the demo pool) must run
// once, not once per process that happens to start at the same moment.
import { setTimeout as sleep } from 'node:timers/promises';
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database>;

/** How long a starting process waits for another's first-start work (migrations, RSA key generation). */
const SQLITE_LOCK_WAIT_MS = 60_000;
const SQLITE_LOCK_RETRY_MS = 20;

function isBusy(err: unknown): boolean {
  // better-sqlite3 reports extended result codes: SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT, …
  return typeof (err as { code?: unknown }).code === 'string' && (err as { code: string }).code.startsWith('SQLITE_BUSY');
}

/**
 * Runs `fn` on one SQLite connection inside BEGIN IMMEDIATE: the file's write lock is taken
 * before the first read, so a check-then-create inside `fn` cannot interleave with another
 * process's. (Kysely's own transaction is a deferred BEGIN: two processes would both read
 * "absent" under shared locks and both write.) Waits for the lock without blocking the event
 * loop: busy_timeout would block the whole process, which also stalls the holder when it is
 * another connection in this process.
 */
export async function inSqliteWriteTransaction<T>(db: Db, fn: (conn: Db) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    const [setting] = (await sql<{ timeout: number }>`pragma busy_timeout`.execute(conn)).rows;
    const busyTimeoutMs = Number(setting?.timeout ?? 0);
    await sql`pragma busy_timeout = 0`.execute(conn);
    try {
      const deadline = performance.now() + SQLITE_LOCK_WAIT_MS;
      for (;;) {
        try {
          await sql`begin immediate`.execute(conn);
          break;
        } catch (err) {
          if (!isBusy(err) || performance.now() > deadline) throw err;
          await sleep(SQLITE_LOCK_RETRY_MS);
        }
      }
    } finally {
      await sql.raw(`pragma busy_timeout = ${busyTimeoutMs}`).execute(conn);
    }
    try {
      const result = await fn(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (err) {
      await sql`rollback`.execute(conn);
      throw err;
    }
  });
}

/**
 * Runs `fn` in one PostgreSQL transaction holding a transaction-scoped advisory lock named
 * after `name` and the current schema (processes on one schema exclude each other; tests in
 * their own schemas do not). The lock is released by COMMIT or ROLLBACK, also when the
 * process dies mid-way, so no stale lock is ever left behind.
 */
export async function inPgLockedTransaction<T>(db: Db, name: string, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${name} || '.' || current_schema()))`.execute(trx);
    return fn(trx);
  });
}
