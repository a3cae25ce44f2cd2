// Opening a new SQLite file while another process writes to it. Switching to WAL needs the
// exclusive lock; SQLite answers SQLITE_BUSY at once, without the busy handler, when the
// opener holds a shared lock and another process holds the write lock
// (https://www.sqlite.org/c3ref/busy_handler.html). Two todoku processes starting together on
// an empty data dir hit exactly this (tests/e2e/first-start.test.ts failed 3 runs in 11).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase } from '../../src/storage/database.js';
import { testDatabase } from '../helpers/server.js';

const betterSqlite = createRequire(import.meta.url).resolve('better-sqlite3');

// Another process: creates the file in rollback-journal mode and holds its write lock for a while.
const HOLDER = `
const SQLite = require(${JSON.stringify(betterSqlite)});
const db = new SQLite(process.argv[1]);
db.exec('CREATE TABLE held (x)');
db.exec('BEGIN IMMEDIATE');
db.exec('INSERT INTO held VALUES (1)');
process.stdout.write('holding\\n');
setTimeout(() => { db.exec('COMMIT'); db.close(); }, Number(process.argv[2]));
`;

describe.skipIf(testDatabase() !== 'sqlite')('opening a SQLite file another process is writing', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('waits for the writer and switches the file to WAL instead of failing with SQLITE_BUSY', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'todoku-wal-'));
    dirs.push(dir);
    const file = path.join(dir, 'todoku.db');
    const holdMs = 600;
    const holder = spawn(process.execPath, ['-e', HOLDER, file, String(holdMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => holder.on('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      holder.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('holding') && resolve());
      holder.on('exit', (code) => reject(new Error(`holder exited with ${code} before holding the lock`)));
    });
    const startedMs = performance.now();
    const opened = await openDatabase({ sqliteFile: file });
    try {
      // It waited for the other process's commit rather than stepping around it.
      expect(performance.now() - startedMs).toBeGreaterThan(holdMs / 2);
      const { rows } = await sql<{ journal_mode: string }>`PRAGMA journal_mode`.execute(opened.db);
      expect(rows[0]?.journal_mode).toBe('wal');
    } finally {
      await opened.close();
      await exited;
    }
  });
});
