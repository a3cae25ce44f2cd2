// Secrets generated on first start and kept in the data directory (mode 0600):
// the admin credentials (unless configured) and the master secret that encrypts
// signing keys and keys the code HMAC (unless TODOKU_SECRET is set).
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import type { Config } from './config/index.js';
import { deriveKey } from './core/seal.js';

export interface Secrets {
  adminAccessKeyId: string;
  adminSecretAccessKey: string;
  /** True when the admin credentials were created by this start (print them once). */
  adminCreatedNow: boolean;
  keyEncryptionKey: Buffer;
  codeKey: Buffer;
}

interface SecretsFile {
  adminAccessKeyId?: string;
  adminSecretAccessKey?: string;
  masterSecret?: string;
}

const ACCESS_KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function newAccessKeyId(): string {
  const bytes = randomBytes(16);
  return 'AKTD' + [...bytes].map((b) => ACCESS_KEY_ALPHABET[b % 32]).join('');
}

export function loadSecrets(config: Config): Secrets {
  fs.mkdirSync(config.dataDir, { recursive: true });
  const file = path.join(config.dataDir, 'secrets.json');
  let stored: SecretsFile = {};
  if (fs.existsSync(file)) stored = JSON.parse(fs.readFileSync(file, 'utf8')) as SecretsFile;
  let changed = false;
  let adminCreatedNow = false;
  if (!config.adminAccessKeyId && !stored.adminAccessKeyId) {
    stored.adminAccessKeyId = newAccessKeyId();
    stored.adminSecretAccessKey = randomBytes(30).toString('base64url');
    changed = true;
    adminCreatedNow = true;
  }
  if (!config.secret && !stored.masterSecret) {
    stored.masterSecret = randomBytes(32).toString('base64url');
    changed = true;
  }
  if (changed) {
    const tmp = file + '.tmp';
    fs.writeFileSync(tmp, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600 });
    fs.renameSync(tmp, file);
  }
  const master = config.secret ? createHash('sha256').update(config.secret).digest() : Buffer.from(stored.masterSecret!, 'base64url');
  return {
    adminAccessKeyId: config.adminAccessKeyId ?? stored.adminAccessKeyId!,
    adminSecretAccessKey: config.adminSecretAccessKey ?? stored.adminSecretAccessKey!,
    adminCreatedNow,
    keyEncryptionKey: deriveKey(master, 'signing-keys'),
    codeKey: deriveKey(master, 'codes'),
  };
}
