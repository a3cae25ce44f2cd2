// The data directory, the SQLite database and its WAL and SHM are owner-only (issue 13 #2): the
// database holds queued mail with live codes and temporary passwords, password hashes and sealed
// keys; secrets.json beside it was 0600 while todoku.db was 0644 in a 0755 directory.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config/index.js';
import { loadSecrets } from '../../src/config/secrets.js';
import { openStore } from '../../src/storage/open.js';
import { testDatabase } from '../helpers/server.js';

const mode = (file: string) => fs.statSync(file).mode & 0o777;

let root: string;
let umask: number;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'todoku-modes-'));
  // The usual umask, whatever the test runner's: 0644 files and 0755 directories by default.
  umask = process.umask(0o022);
});
afterEach(() => {
  process.umask(umask);
  fs.rmSync(root, { recursive: true, force: true });
});

describe.runIf(testDatabase() === 'sqlite')('file modes', () => {
  it('creates the data directory 0700 and the database, its WAL and SHM 0600', async () => {
    const dataDir = path.join(root, 'data');
    loadSecrets(loadConfig({ TODOKU_DATA_DIR: dataDir }));
    expect(mode(dataDir)).toBe(0o700);

    const file = path.join(root, 'fresh', 'todoku.db');
    const store = await openStore({ sqliteFile: file });
    try {
      await sql`select count(*) from outbox`.execute(store.db);
      expect(mode(path.dirname(file))).toBe(0o700);
      expect([file, `${file}-wal`, `${file}-shm`].map(mode)).toEqual([0o600, 0o600, 0o600]);
    } finally {
      await store.close();
    }
  });

  it('narrows a database an older version left readable by others', async () => {
    const file = path.join(root, 'todoku.db');
    await (await openStore({ sqliteFile: file })).close();
    fs.chmodSync(file, 0o644);
    const store = await openStore({ sqliteFile: file });
    try {
      await sql`select count(*) from outbox`.execute(store.db);
      expect([file, `${file}-wal`, `${file}-shm`].map(mode)).toEqual([0o600, 0o600, 0o600]);
    } finally {
      await store.close();
    }
  });
});
