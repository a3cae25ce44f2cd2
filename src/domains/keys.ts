// DKIM key material: generation, the DNS `p=` value, selectors that let keys rotate with
// overlap, and encryption at rest (AES-256-GCM, core/seal.ts). Private keys leave this
// module only as KeyObjects handed to the signer.
import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { Random } from '../core/random.js';
import { seal, unseal } from '../core/seal.js';
import type { DkimAlgorithm, DkimKey, DkimMode } from './model.js';

const generateKeyPairAsync = promisify(generateKeyPair);

/** RFC 8301 §3.2: at least 1024 bits, 2048 recommended; SES uses 2048. */
export const RSA_BITS = 2048;

export interface GeneratedKey {
  algorithm: DkimAlgorithm;
  publicKey: string;
  privateKeyPem: string;
}

/** Generates a key pair off the event loop (RSA-2048 takes ~100 ms of CPU). */
export async function generateDkimKey(algorithm: DkimAlgorithm): Promise<GeneratedKey> {
  if (algorithm === 'rsa') {
    const { publicKey, privateKey } = await generateKeyPairAsync('rsa', {
      modulusLength: RSA_BITS,
      publicKeyEncoding: { type: 'spki', format: 'der' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    // RFC 6376 §3.6.1: p= is the base64 SubjectPublicKeyInfo for k=rsa.
    return { algorithm, publicKey: (publicKey as Buffer).toString('base64'), privateKeyPem: privateKey as string };
  }
  const { publicKey, privateKey } = await generateKeyPairAsync('ed25519', {
    publicKeyEncoding: { type: 'spki', format: 'der' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { algorithm, publicKey: ed25519RawPublicKey(publicKey as Buffer), privateKeyPem: privateKey as string };
}

/** RFC 8463 §4.2: p= for k=ed25519 is the bare 32-byte key, not the SPKI wrapper. */
function ed25519RawPublicKey(spkiDer: Buffer): string {
  return spkiDer.subarray(spkiDer.length - 32).toString('base64');
}

/** The p= value of a private key, to check a decrypted key against its published record. */
export function publicKeyOf(privateKey: KeyObject): string {
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  return privateKey.asymmetricKeyType === 'ed25519' ? ed25519RawPublicKey(spki) : spki.toString('base64');
}

export function algorithmsFor(mode: DkimMode): DkimAlgorithm[] {
  return mode === 'rsa2048+ed25519' ? ['rsa', 'ed25519'] : ['rsa'];
}

const SELECTOR_RE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function isValidSelector(selector: string): boolean {
  return SELECTOR_RE.test(selector);
}

/**
 * Selector for a new key: `todoku<yyyymm>` (`…e` for Ed25519), with a letter suffix when the
 * month's name is taken. A new key gets a new selector, so the old record can stay
 * published while mail signed with it is still in flight (RFC 6376 §3.1: selectors exist
 * for exactly this).
 */
export function newSelector(nowMs: number, algorithm: DkimAlgorithm, taken: Iterable<string>, base?: string): string {
  const d = new Date(nowMs);
  const stem = base ?? `todoku${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  const root = algorithm === 'ed25519' ? `${stem}${base ? '-' : ''}e` : stem;
  const used = new Set(taken);
  if (!used.has(root)) return root;
  for (const letter of 'bcdefghijklmnopqrstuvwxyz') {
    const candidate = `${root}${letter}`;
    if (!used.has(candidate)) return candidate;
  }
  throw new Error(`no free DKIM selector left for ${root}`);
}

/** Builds the stored row of a freshly generated key; the private key is sealed here. */
export function storedKey(opts: {
  random: Random;
  keyEncryptionKey: Buffer;
  domain: string;
  selector: string;
  generated: GeneratedKey;
  nowMs: number;
  active: boolean;
}): DkimKey {
  return {
    id: opts.random.uuid(),
    domain: opts.domain,
    selector: opts.selector,
    algorithm: opts.generated.algorithm,
    publicKey: opts.generated.publicKey,
    privateKeyEncrypted: seal(opts.keyEncryptionKey, opts.generated.privateKeyPem),
    createdAtMs: opts.nowMs,
    activatedAtMs: opts.active ? opts.nowMs : null,
    retiredAtMs: null,
  };
}

/** Decrypts a stored private key. Throws when the key-encryption key is not the one it was sealed with. */
export function openPrivateKey(key: DkimKey, keyEncryptionKey: Buffer): KeyObject {
  return createPrivateKey(unseal(keyEncryptionKey, key.privateKeyEncrypted));
}

/** Decrypted PEM, for signers that want PEM (mailauth). Keep it in memory only. */
export function openPrivateKeyPem(key: DkimKey, keyEncryptionKey: Buffer): string {
  return unseal(keyEncryptionKey, key.privateKeyEncrypted);
}
