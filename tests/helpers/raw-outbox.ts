// The outbox table as another local user would read it: straight from the SQLite file or the
// PostgreSQL table, past todoku's code (issue 13 #2: what is readable at rest).
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { loadConfig } from '../../src/config/index.js';
import { testDatabase } from './server.js';

export type RawRow = Record<string, unknown>;

export async function rawOutboxRows(where: { dataDir: string; pgSchema?: string | undefined }): Promise<RawRow[]> {
  if (testDatabase() === 'postgres') {
    if (!where.pgSchema) throw new Error("rawOutboxRows on PostgreSQL needs the server's schema");
    const client = new pg.Client({ connectionString: process.env.TODOKU_TEST_DATABASE_URL! });
    await client.connect();
    try {
      return (await client.query(`SELECT * FROM "${where.pgSchema}".outbox ORDER BY created_at, id`)).rows as RawRow[];
    } finally {
      await client.end();
    }
  }
  const db = new Sqlite(loadConfig({ TODOKU_DATA_DIR: where.dataDir }).sqliteFile, { readonly: true });
  try {
    return db.prepare('SELECT * FROM outbox ORDER BY created_at, id').all() as RawRow[];
  } finally {
    db.close();
  }
}
