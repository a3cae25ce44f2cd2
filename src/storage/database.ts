// Opens SQLite (embedded default) or PostgreSQL behind one Kysely query layer and
// applies the migrations.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import {
  Kysely,
  Migrator,
  SqliteAdapter,
  SqliteDialect,
  sql,
  type MigrationProvider,
  type MigrationResultSet,
  type SqliteDatabase,
} from 'kysely';
import type { Database } from './schema.js';
import { migrations } from './migrations/index.js';
import { inSqliteWriteTransaction } from './locks.js';
import { SchemaScopedPostgresDialect } from './pg-introspector.js';

export type Dialect = 'sqlite' | 'postgres';

export interface OpenedDatabase {
  db: Kysely<Database>;
  dialect: Dialect;
  /** PostgreSQL schema the tables live in, when not the default search path. */
  schema?: string | undefined;
  close(): Promise<void>;
}

// int8 (bigint) columns hold epoch milliseconds, which fit a double exactly; count(*) is int8 too.
pg.types.setTypeParser(20, (value: string) => Number(value));

export interface OpenOptions {
  /** postgres://… ; undefined → SQLite */
  databaseUrl?: string | undefined;
  /** SQLite file, or ':memory:'. */
  sqliteFile?: string;
  /** PostgreSQL schema to use (tests isolate themselves in one schema each). */
  pgSchema?: string;
  poolSize?: number;
}

export async function openDatabase(options: OpenOptions): Promise<OpenedDatabase> {
  if (options.databaseUrl) {
    const schema = options.pgSchema;
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    if (schema) {
      if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid PostgreSQL schema name ${schema}`);
      pool.on('connect', (client) => {
        client.query(`SET search_path TO ${schema}`).catch(() => undefined);
      });
      const client = await pool.connect();
      try {
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`).catch((err: { code?: string }) => {
          // IF NOT EXISTS checks before it inserts: a process creating the same schema at the
          // same moment makes ours fail on pg_namespace's unique index (23505). It exists: go on.
          if (err.code !== '23505' && err.code !== '42P06') throw err;
        });
        await client.query(`SET search_path TO ${schema}`);
      } finally {
        client.release();
      }
    }
    // The migrator's catalog reads stay inside our schema: see pg-introspector.ts.
    const db = new Kysely<Database>({ dialect: new SchemaScopedPostgresDialect({ pool }, schema) });
    return { db, dialect: 'postgres', schema, close: () => db.destroy() };
  }
  const file = options.sqliteFile ?? ':memory:';
  if (file !== ':memory:') ownerOnly(file);
  const sqlite = new SQLite(file);
  sqlite.pragma('busy_timeout = 5000');
  // WAL lets readers (health checks, captured-mail reads, other processes) run beside the writer.
  await switchToWal(sqlite, file);
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

/**
 * The database holds password hashes, sealed keys and queued mail: only its owner reads it.
 * SQLite creates files 0644 (less the umask) and gives the -wal and -shm files the mode of the
 * database file, so the file is created 0600 before SQLite opens it, in a directory created
 * 0700. A file an older version created 0644 is narrowed, with its WAL and SHM.
 */
function ownerOnly(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      if ((fs.statSync(f).mode & 0o077) !== 0) fs.chmodSync(f, 0o600);
    } catch (err) {
      // Absent (no WAL yet), or another user's file that we may read but not chmod: SQLite decides.
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'EPERM') throw err;
    }
  }
}

const WAL_SWITCH_DEADLINE_MS = 10_000;

/**
 * Puts the file in WAL mode, once per database (the mode is stored in the file).
 * Switching takes the write lock and then the exclusive lock. Two processes opening a new
 * file together can each hold a shared lock while asking for more: SQLite does not run the
 * busy handler where waiting could deadlock and answers SQLITE_BUSY at once
 * (https://www.sqlite.org/c3ref/busy_handler.html) — `busy_timeout` cannot help. The
 * statement has released its locks when it fails, so trying again after a pause lets the
 * other process finish its switch; after it, the file is WAL and reading the mode needs no
 * lock escalation.
 */
async function switchToWal(sqlite: SQLite.Database, file: string): Promise<void> {
  if (file === ':memory:') return;
  const deadline = performance.now() + WAL_SWITCH_DEADLINE_MS;
  for (let pauseMs = 5; ; pauseMs = Math.min(pauseMs * 2, 200)) {
    try {
      if (sqlite.pragma('journal_mode', { simple: true }) === 'wal') return;
      sqlite.pragma('journal_mode = WAL');
      return;
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      if (!code.startsWith('SQLITE_BUSY') || performance.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
}

/** Prepared statements kept per connection; past this many, the oldest is dropped. */
const STATEMENT_CACHE_SIZE = 256;

/**
 * better-sqlite3 with its prepared statements kept by SQL text. Kysely prepares every query
 * anew, and SQLite's parse-and-plan costs about as much as running one of todoku's
 * single-row queries (a CPU profile of sign-ins: `prepare` ≈ 8 % of the event loop).
 * Safe because better-sqlite3 runs each statement to completion before the next call;
 * only `iterate` (Kysely's `stream`, which todoku does not use) would hold one busy.
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close() {
      statements.clear();
      sqlite.close();
    },
    prepare(text: string) {
      let statement = statements.get(text);
      if (statement === undefined) {
        statement = sqlite.prepare(text);
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
        statements.set(text, statement);
      }
      return statement;
    },
  };
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

function migrator(db: Kysely<Database>, schema: string | undefined): Migrator {
  // The schema must be named: Kysely looks for its tables among every schema it can see,
  // and would find another schema's (another test's, another app's) migration tables.
  return new Migrator({
    db,
    provider,
    migrationTableName: 'todoku_migrations',
    migrationLockTableName: 'todoku_migrations_lock',
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
}

/**
 * PostgreSQL: Kysely's migrator holds an advisory lock. SQLite: it takes none (its adapter
 * counts on the one connection of one process), so two processes opening one new file would
 * both create the tables. The file's write lock runs them one after the other; a failed run
 * is rolled back whole (SQLite DDL is transactional).
 */
async function migrateSqlite(db: Kysely<Database>, schema: string | undefined): Promise<MigrationResultSet> {
  let failed: MigrationResultSet | undefined;
  try {
    return await inSqliteWriteTransaction(db, async (conn) => {
      const run = await migrator(conn, schema).migrateToLatest();
      if (run.error) {
        failed = run;
        throw run.error;
      }
      return run;
    });
  } catch (err) {
    if (failed) return failed;
    throw err;
  }
}

/** Applies every pending migration; throws with the failing migration's name. */
export async function migrate(db: Kysely<Database>, schema?: string): Promise<string[]> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const { error, results } = sqlite ? await migrateSqlite(db, schema) : await migrator(db, schema).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    const name = failed ? ` (${failed.migrationName})` : '';
    throw new Error(`database migration failed${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** True when the database answers and every migration has been applied. */
export async function isReady(db: Kysely<Database>, schema?: string): Promise<boolean> {
  try {
    const list = await migrator(db, schema).getMigrations();
    await sql`select 1`.execute(db);
    return list.every((m) => m.executedAt !== undefined);
  } catch {
    return false;
  }
}
