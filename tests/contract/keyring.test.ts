// Signing-key rotation with overlap, on SQLite and PostgreSQL: a new key is published
// before it signs; a retired key stays published until tokens it signed have expired.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore } from '../helpers/db.js';
import { ManualClock } from '../../src/core/clock.js';
import { cryptoRandom } from '../../src/core/random.js';
import { Keyring, PREPUBLISH_MS, RETIRED_KEY_PUBLISHED_MS } from '../../src/tokens/keyring.js';

const KEY = Buffer.alloc(32, 7);

describe('Keyring', () => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore();
  });
  afterEach(async () => {
    await t.close();
  });

  it('creates one key on first load and reuses it on the next (another process, a restart)', async () => {
    const clock = new ManualClock();
    const a = new Keyring(t.store.keys, clock, cryptoRandom, KEY);
    await a.load();
    const b = new Keyring(await t.openAnother().then((s) => s.keys), clock, cryptoRandom, KEY);
    await b.load();
    expect((await a.signingKey()).kid).toBe((await b.signingKey()).kid);
    expect((await a.jwks()).keys).toHaveLength(1);
    // Private keys are stored sealed, never as PEM.
    const [stored] = await t.store.keys.listKeys();
    expect(stored!.privateKey).not.toContain('PRIVATE KEY');
  });

  it('publishes a rotated key before it signs and keeps the old one published after', async () => {
    const clock = new ManualClock();
    const ring = new Keyring(t.store.keys, clock, cryptoRandom, KEY, 0);
    await ring.load();
    const oldKid = (await ring.signingKey()).kid;
    const { kid: newKid } = await ring.rotate();

    expect((await ring.signingKey()).kid).toBe(oldKid);
    expect((await ring.jwks()).keys.map((k) => k.kid).sort()).toEqual([newKid, oldKid].sort());

    clock.advance(PREPUBLISH_MS);
    expect((await ring.signingKey()).kid).toBe(newKid);
    expect((await ring.jwks()).keys.map((k) => k.kid).sort()).toEqual([newKid, oldKid].sort());
    expect(await ring.publicKey(oldKid)).toBeDefined();

    clock.advance(RETIRED_KEY_PUBLISHED_MS + 1);
    expect((await ring.jwks()).keys.map((k) => k.kid)).toEqual([newKid]);
    expect(await t.store.keys.listKeys()).toHaveLength(1);
  });

  it('refuses to open keys sealed under another secret', async () => {
    const clock = new ManualClock();
    await new Keyring(t.store.keys, clock, cryptoRandom, KEY).load();
    await expect(new Keyring(t.store.keys, clock, cryptoRandom, Buffer.alloc(32, 8)).load()).rejects.toThrow();
  });
});
