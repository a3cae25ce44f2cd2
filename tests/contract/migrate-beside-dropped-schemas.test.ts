// Migrating a new PostgreSQL schema while another process drops its own schemas (tests do,
// in parallel): Kysely's migrator reads the catalog of every schema first, and a schema
// dropped at that moment used to fail our migration with `schema "<theirs>" does not exist`;
// a table or column dropped at that moment, with `relation "<theirs>.t" does not exist` or
// `column "a" of relation "t" does not exist` (seen in the suite as
// `relation "c_….todoku_migrations" does not exist` while another test dropped its schema).
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
  }, 120_000);

  it('succeeds while other sessions drop tables and columns in a schema that stays', async () => {
    const churner = new pg.Client({ connectionString: url });
    await churner.connect();
    const other = `d_${randomBytes(4).toString('hex')}`;
    created.push(other);
    await churner.query(`CREATE SCHEMA ${other}`);
    let stop = false;
    let churned = 0;
    // The schema stays, its tables and columns come and go: the by-name lookups Kysely's
    // introspector made for every column of every schema failed with 42P01 / 42703, which
    // no retry on "schema does not exist" could recognise as someone else's.
    const churn = (async () => {
      for (let i = 0; !stop; i++, churned++) {
        const t = `${other}.t${i % 3}`;
        await churner.query(`CREATE TABLE ${t} (id serial primary key, a int, b text)`);
        await churner.query(`ALTER TABLE ${t} DROP COLUMN a`);
        await churner.query(`DROP TABLE ${t}`);
      }
    })();
    try {
      for (let i = 0; i < 8; i++) {
        const schema = `m_${randomBytes(6).toString('hex')}`;
        created.push(schema);
        const opened = await openDatabase({ databaseUrl: url, pgSchema: schema, poolSize: 2 });
        try {
          expect(await migrate(opened.db, schema)).toContain('0004-delivery-attempts');
        } finally {
          await opened.close();
        }
      }
    } finally {
      stop = true;
      await churn;
      await churner.end();
    }
    expect(churned).toBeGreaterThan(8);
  }, 120_000);

  it("reads only its own schema's catalog", async () => {
    const schema = `m_${randomBytes(6).toString('hex')}`;
    const other = `d_${randomBytes(4).toString('hex')}`;
    created.push(schema, other);
    const setup = new pg.Client({ connectionString: url });
    await setup.connect();
    // Another application's todoku_migrations beside ours must be neither read nor taken for ours.
    await setup.query(`CREATE SCHEMA ${other}; CREATE TABLE ${other}.todoku_migrations (name text)`);
    await setup.end();
    const opened = await openDatabase({ databaseUrl: url, pgSchema: schema, poolSize: 2 });
    try {
      await migrate(opened.db, schema);
      const tables = await opened.db.introspection.getTables();
      expect(new Set(tables.map((t) => t.schema))).toEqual(new Set([schema]));
      expect(tables.map((t) => t.name)).toContain('todoku_migrations');
      const users = tables.find((t) => t.name === 'users');
      expect(users?.columns.map((c) => c.name)).toContain('sub');
    } finally {
      await opened.close();
    }
  });
});
