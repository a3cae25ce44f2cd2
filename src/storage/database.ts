// Opens SQLite (embedded default) or PostgreSQL behind one Kysely query layer and
// applies the migrations.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type MigrationProvider } from 'kysely';
import type { Database } from './schema.js';
import { migrations } from './migrations/index.js';

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
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
        await client.query(`SET search_path TO ${schema}`);
      } finally {
        client.release();
      }
    }
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', schema, close: () => db.destroy() };
  }
  const file = options.sqliteFile ?? ':memory:';
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  // WAL lets readers (health checks, captured-mail reads, other processes) run beside the writer.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
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

/** Applies every pending migration; throws with the failing migration's name. */
export async function migrate(db: Kysely<Database>, schema?: string): Promise<string[]> {
  const m = migrator(db, schema);
  const { error, results } = await m.migrateToLatest();
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
