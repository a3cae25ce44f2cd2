// Token signing keys: RSA-2048, generated on first start, kept (encrypted) in the database
// so every process shares them, rotated with overlap: a new key is published in the JWKS
// before it signs, and an old key stays published until tokens it signed have expired.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { Random } from '../core/random.js';
import { seal, unseal } from '../core/seal.js';
import type { KeysPort, StoredSigningKey } from './ports.js';

/** A new key is published this long before it signs (clients cache JWKS; Cognito's own overlap is hours). */
export const PREPUBLISH_MS = 24 * 3600_000;
/** Longest ID/access token lifetime Cognito allows (1 day): a retired key stays published that long. */
export const RETIRED_KEY_PUBLISHED_MS = 24 * 3600_000;

export interface LoadedKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicJwk: Record<string, string>;
}

export class Keyring {
  private signing: LoadedKey | undefined;
  private published = new Map<string, LoadedKey>();
  private loadedAtMs = 0;

  constructor(
    private readonly port: KeysPort,
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly encryptionKey: Buffer,
    /** How often to re-read keys rotated by another process. */
    private readonly refreshMs = 60_000,
  ) {}

  private generate(nowMs: number, activate: boolean): StoredSigningKey {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const kid = this.random.bytes(16).toString('base64url');
    const jwk = publicKey.export({ format: 'jwk' });
    return {
      kid,
      alg: 'RS256',
      publicJwk: JSON.stringify({ alg: 'RS256', e: jwk.e, kid, kty: 'RSA', n: jwk.n, use: 'sig' }),
      privateKey: seal(this.encryptionKey, privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()),
      createdAtMs: nowMs,
      activatedAtMs: activate ? nowMs : null,
      retiredAtMs: null,
    };
  }

  /**
   * Loads keys, creating the first one when there is none; activates a pre-published key when due.
   * `port` is where to read and write: at start, the startup lock's transaction, so processes
   * starting together on an empty database create one first key between them, not one each.
   */
  async load(port: KeysPort = this.port): Promise<void> {
    const nowMs = this.clock.nowMs();
    let keys = await port.listKeys();
    if (!keys.some((k) => k.activatedAtMs !== null && k.retiredAtMs === null)) {
      const pending = keys.find((k) => k.activatedAtMs === null);
      if (pending) await port.activateKey(pending.kid, nowMs);
      else await port.insertKey(this.generate(nowMs, true));
      keys = await port.listKeys();
    }
    const active = keys.filter((k) => k.activatedAtMs !== null && k.retiredAtMs === null);
    const due = keys.find((k) => k.activatedAtMs === null && nowMs - k.createdAtMs >= PREPUBLISH_MS);
    if (due) {
      await port.activateKey(due.kid, nowMs);
      for (const k of active) await port.retireKey(k.kid, nowMs);
      keys = await port.listKeys();
    }
    for (const k of keys) {
      if (k.retiredAtMs !== null && nowMs - k.retiredAtMs > RETIRED_KEY_PUBLISHED_MS) await port.deleteKey(k.kid);
    }
    keys = keys.filter((k) => !(k.retiredAtMs !== null && nowMs - k.retiredAtMs > RETIRED_KEY_PUBLISHED_MS));
    const published = new Map<string, LoadedKey>();
    for (const k of keys) {
      let pem: string;
      try {
        pem = unseal(this.encryptionKey, k.privateKey);
      } catch {
        throw new Error(
          `signing key ${k.kid} cannot be decrypted: TODOKU_SECRET (or data/secrets.json) differs from the one it was sealed with`,
        );
      }
      const privateKey = createPrivateKey(pem);
      published.set(k.kid, { kid: k.kid, privateKey, publicKey: createPublicKey(privateKey), publicJwk: JSON.parse(k.publicJwk) });
    }
    // Newest active key signs.
    const signer = keys.filter((k) => k.activatedAtMs !== null && k.retiredAtMs === null).sort((a, b) => b.activatedAtMs! - a.activatedAtMs!)[0];
    this.published = published;
    this.signing = signer ? published.get(signer.kid) : undefined;
    this.loadedAtMs = nowMs;
  }

  /** Publishes a new key now; it starts signing after PREPUBLISH_MS. */
  /** Publishes a new key; it starts signing at `signsFromMs`, after the pre-publication overlap. */
  async rotate(): Promise<{ kid: string; signsFromMs: number }> {
    const key = this.generate(this.clock.nowMs(), false);
    await this.port.insertKey(key);
    await this.load();
    return { kid: key.kid, signsFromMs: key.createdAtMs + PREPUBLISH_MS };
  }

  private async fresh(): Promise<void> {
    if (!this.signing || this.clock.nowMs() - this.loadedAtMs > this.refreshMs) await this.load();
  }

  async signingKey(): Promise<LoadedKey> {
    await this.fresh();
    return this.signing!;
  }

  async publicKey(kid: string): Promise<LoadedKey | undefined> {
    await this.fresh();
    let key = this.published.get(kid);
    // A key another process just created: reload once before refusing the token.
    if (!key && this.clock.nowMs() - this.loadedAtMs > 1000) {
      await this.load();
      key = this.published.get(kid);
    }
    return key;
  }

  /** Every stored key's dates, for operators (never key material). */
  async describe(): Promise<{ kid: string; createdAt: string; activatedAt: string | null; retiredAt: string | null; signing: boolean }[]> {
    await this.fresh();
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return (await this.port.listKeys()).map((k) => ({
      kid: k.kid,
      createdAt: iso(k.createdAtMs)!,
      activatedAt: iso(k.activatedAtMs),
      retiredAt: iso(k.retiredAtMs),
      signing: this.signing?.kid === k.kid,
    }));
  }

  async jwks(): Promise<{ keys: Record<string, string>[] }> {
    await this.fresh();
    return { keys: [...this.published.values()].map((k) => k.publicJwk) };
  }
}
