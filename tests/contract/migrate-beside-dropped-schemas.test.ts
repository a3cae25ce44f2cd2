// Migrating a new PostgreSQL schema while another process drops its own schemas (tests do,
// in parallel): Kysely's migrator reads the catalog of every schema first, and a schema
// dropped at that moment used to fail our migration with `schema "<theirs>" does not exist`.
import { afterAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate, openDatabase } from '../../src/storage/database.js';
import { testDatabase } from '../helpers/server.js';

const url = process.env.TODOKU_TEST_DATABASE_URL;
const created: string[] = [];

afterAll(async () => {
  if (!url) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  for (const s of created) await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  await client.end();
});

describe.runIf(testDatabase() === 'postgres')('migrate on PostgreSQL', () => {
  it('succeeds while other schemas are being created and dropped', async () => {
    const churner = new pg.Client({ connectionString: url });
    await churner.connect();
    const prefix = `d_${randomBytes(4).toString('hex')}`;
    let stop = false;
    // Another process's schemas with a serial column (what the catalog lookup trips over), created and dropped in a loop.
    const churn = (async () => {
      for (let i = 0; !stop; i++) {
        const s = `${prefix}_${i % 4}`;
        await churner.query(`CREATE SCHEMA IF NOT EXISTS ${s}; CREATE TABLE IF NOT EXISTS ${s}.t (id serial primary key, a int)`);
        await churner.query(`DROP SCHEMA ${s} CASCADE`);
      }
    })();
    try {
      // Each run failed about one time in four before (measured: 834 of 4,887 catalog reads failed under this churn).
      for (let i = 0; i < 8; i++) {
        const schema = `m_${randomBytes(6).toString('hex')}`;
        created.push(schema);
        const opened = await openDatabase({ databaseUrl: url, pgSchema: schema, poolSize: 2 });
        try {
          expect(await migrate(opened.db, schema)).toContain('0001-initial');
        } finally {
          await opened.close();
        }
      }
    } finally {
      stop = true;
      await churn;
      await churner.end();
    }
  });
});
