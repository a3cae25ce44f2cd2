// secrets.json is created once per data dir: processes starting together on a new one end up
// with the same admin credentials and master secret (the master secret seals the signing
// keys they share through the database).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../src/config/index.js';
import { createSecretsFile, loadSecrets } from '../../../src/config/secrets.js';
import { startTogether } from '../../helpers/first-start.js';

// Child processes compile todoku from source (tsx) before the barrier releases them: on a
// loaded 2-core machine that alone can take most of vitest's default 30 s.
const PROCESSES_TIMEOUT_MS = 120_000;

let dataDir: string;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'todoku-secrets-'));
});
afterEach(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('secrets.json', () => {
  it('is created on first load (mode 0600) and reused after', () => {
    const config = loadConfig({ TODOKU_DATA_DIR: dataDir });
    const first = loadSecrets(config);
    expect(first.adminCreatedNow).toBe(true);
    expect(fs.statSync(path.join(dataDir, 'secrets.json')).mode & 0o777).toBe(0o600);
    const again = loadSecrets(config);
    expect(again.adminCreatedNow).toBe(false);
    expect(again.adminAccessKeyId).toBe(first.adminAccessKeyId);
    expect(again.keyEncryptionKey.equals(first.keyEncryptionKey)).toBe(true);
    expect(fs.readdirSync(dataDir)).toEqual(['secrets.json']);
  });

  it('a file another process created first is kept, not replaced', () => {
    const file = path.join(dataDir, 'secrets.json');
    const theirs = { adminAccessKeyId: 'AKTDTHEIRS', adminSecretAccessKey: 's', masterSecret: 'm' };
    fs.writeFileSync(file, JSON.stringify(theirs));
    expect(createSecretsFile(file, { adminAccessKeyId: 'AKTDOURS', adminSecretAccessKey: 'o', masterSecret: 'n' })).toEqual(theirs);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(theirs);
    expect(fs.readdirSync(dataDir)).toEqual(['secrets.json']);
  });

  it('processes released at the same instant on a new data dir end up with the same secrets', async () => {
    const results = await startTogether<{ adminAccessKeyId: string; keyEncryptionKey: string }>(4, { mode: 'secrets', dataDir });
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
    const stored = JSON.parse(fs.readFileSync(path.join(dataDir, 'secrets.json'), 'utf8')) as { adminAccessKeyId: string };
    expect(stored.adminAccessKeyId).toBe(results[0]!.adminAccessKeyId);
    expect(fs.readdirSync(dataDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, PROCESSES_TIMEOUT_MS);
});
