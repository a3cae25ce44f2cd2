// A migrated store on SQLite (a temp file) or, with TODOKU_TEST_DB=postgres, on PostgreSQL in
// a fresh schema — for contract tests of the storage ports.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '../../src/config/index.js';
import { openStore } from '../../src/storage/open.js';
import type { SqlStore as Store } from '../../src/storage/store.js';
import { testDatabase } from './server.js';

export interface TestStore {
  store: Store;
  /** A second, independent connection to the same database (another "process"). */
  openAnother(): Promise<Store>;
  close(): Promise<void>;
}

export async function openTestStore(): Promise<TestStore> {
  const others: Store[] = [];
  if (testDatabase() === 'postgres') {
    const url = process.env.TODOKU_TEST_DATABASE_URL!;
    const schema = `c_${randomBytes(6).toString('hex')}`;
    const open = () => openStore({ databaseUrl: url, pgSchema: schema, poolSize: 4 });
    const store = await open();
    return {
      store,
      openAnother: async () => {
        const s = await open();
        others.push(s);
        return s;
      },
      async close() {
        for (const s of others) await s.close();
        await store.close();
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'todoku-store-'));
  const file = path.join(dir, 'todoku.db');
  const store = await openStore({ sqliteFile: file });
  return {
    store,
    openAnother: async () => {
      const s = await openStore({ sqliteFile: file });
      others.push(s);
      return s;
    },
    async close() {
      for (const s of others) await s.close();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Opens the database a test server keeps in `dataDir` (its SQLite file, where config puts it)
 * or, on PostgreSQL, in `pgSchema`: a second process looking at what the server wrote.
 */
export async function openServerStore(where: { dataDir: string; pgSchema?: string | undefined }): Promise<Store> {
  if (testDatabase() === 'postgres') {
    if (!where.pgSchema) throw new Error('openServerStore on PostgreSQL needs the server\'s schema');
    return openStore({ databaseUrl: process.env.TODOKU_TEST_DATABASE_URL!, pgSchema: where.pgSchema });
  }
  return openStore({ sqliteFile: loadConfig({ TODOKU_DATA_DIR: where.dataDir }).sqliteFile });
}
