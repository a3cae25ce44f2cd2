// Secrets generated on first start and kept in the data directory (mode 0600):
// the admin credentials (unless configured) and the master secret that encrypts
// signing keys and keys the code HMAC (unless TODOKU_SECRET is set).
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import type { Config } from './index.js';
import { deriveKey } from '../core/seal.js';

export interface Secrets {
  adminAccessKeyId: string;
  adminSecretAccessKey: string;
  /** True when the admin credentials were created by this start (print them once). */
  adminCreatedNow: boolean;
  keyEncryptionKey: Buffer;
  codeKey: Buffer;
  /** Seals outbox message bodies (mail/queue/bodies.ts): its own key, so no ciphertext of one purpose opens under another's. */
  mailKey: Buffer;
}

export interface SecretsFile {
  adminAccessKeyId?: string;
  adminSecretAccessKey?: string;
  masterSecret?: string;
}

const ACCESS_KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function newAccessKeyId(): string {
  const bytes = randomBytes(16);
  return 'AKTD' + [...bytes].map((b) => ACCESS_KEY_ALPHABET[b % 32]).join('');
}

function readSecretsFile(file: string): SecretsFile | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as SecretsFile;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Writes `content` complete under a name no other process uses (mode 0600). */
function writeTempFile(file: string, content: SecretsFile): string {
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(content, null, 2) + '\n', { mode: 0o600 });
  return tmp;
}

/**
 * Creates `file` holding `fresh` unless it already exists; returns what the file holds
 * afterwards. link(2) refuses an existing name, so of two processes starting on one new data
 * dir exactly one creates the file and the other adopts its secrets — with rename, the later
 * one would replace secrets the earlier one already seals signing keys with.
 */
export function createSecretsFile(file: string, fresh: SecretsFile): SecretsFile {
  const tmp = writeTempFile(file, fresh);
  try {
    fs.linkSync(tmp, file);
    return fresh;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return readSecretsFile(file) ?? createSecretsFile(file, fresh);
    // A filesystem without hard links: the last of two simultaneous first starts wins.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw err;
    fs.renameSync(tmp, file);
    return fresh;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** The secrets `stored` lacks that `config` does not supply, freshly generated. */
function missingSecrets(config: Config, stored: SecretsFile): SecretsFile {
  const missing: SecretsFile = {};
  if (!config.adminAccessKeyId && !stored.adminAccessKeyId) {
    missing.adminAccessKeyId = newAccessKeyId();
    missing.adminSecretAccessKey = randomBytes(30).toString('base64url');
  }
  if (!config.secret && !stored.masterSecret) missing.masterSecret = randomBytes(32).toString('base64url');
  return missing;
}

export function loadSecrets(config: Config): Secrets {
  // Owner-only, like secrets.json in it: the database beside it holds live codes (issue 13 #2).
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(config.dataDir, 'secrets.json');
  const existing = readSecretsFile(file);
  let stored = existing ?? {};
  let adminCreatedNow = false;
  let missing = missingSecrets(config, stored);
  if (existing === undefined && Object.keys(missing).length > 0) {
    stored = createSecretsFile(file, missing);
    // Printed once, by the process whose credentials were kept.
    adminCreatedNow = missing.adminAccessKeyId !== undefined && stored.adminAccessKeyId === missing.adminAccessKeyId;
    missing = missingSecrets(config, stored);
  }
  if (Object.keys(missing).length > 0) {
    // The file lacks a secret the configuration used to supply (TODOKU_SECRET, the admin
    // key), or another process created it under another configuration: add it.
    stored = { ...stored, ...missing };
    fs.renameSync(writeTempFile(file, stored), file);
    if (missing.adminAccessKeyId) adminCreatedNow = true;
  }
  const master = config.secret ? createHash('sha256').update(config.secret).digest() : Buffer.from(stored.masterSecret!, 'base64url');
  return {
    adminAccessKeyId: config.adminAccessKeyId ?? stored.adminAccessKeyId!,
    adminSecretAccessKey: config.adminSecretAccessKey ?? stored.adminSecretAccessKey!,
    adminCreatedNow,
    keyEncryptionKey: deriveKey(master, 'signing-keys'),
    codeKey: deriveKey(master, 'codes'),
    mailKey: deriveKey(master, 'mail-bodies'),
  };
}
