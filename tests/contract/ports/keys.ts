// KeysPort's contract (tokens/ports.ts): the token signing keys, every process reading the same list.
import { describe, expect, it } from 'vitest';
import { aSigningKey, freshStorePerTest, rolledBack, T0, type OpenStore } from './fixtures.js';

export function keysContract(open: OpenStore): void {
  describe('KeysPort', () => {
    const t = freshStorePerTest(open);
    const keys = () => t().store.keys;

    it('lists nothing on an empty store', async () => {
      expect(await keys().listKeys()).toEqual([]);
    });

    it('returns inserted keys as given, oldest first (same time: by kid)', async () => {
      const pending = aSigningKey('kid-c', { createdAtMs: T0 + 10, activatedAtMs: null });
      const retired = aSigningKey('kid-z', { createdAtMs: T0 - 10, retiredAtMs: T0 });
      const a = aSigningKey('kid-b', { createdAtMs: T0 });
      const b = aSigningKey('kid-a', { createdAtMs: T0 });
      const c = aSigningKey('kid-B', { createdAtMs: T0 });
      for (const k of [pending, a, retired, b, c]) await keys().insertKey(k);
      expect(await keys().listKeys()).toEqual([retired, c, b, a, pending]);
    });

    it('refuses a key whose kid is taken', async () => {
      await keys().insertKey(aSigningKey('kid-1', { alg: 'RS256' }));
      await expect(keys().insertKey(aSigningKey('kid-1', { alg: 'ES256' }))).rejects.toThrow();
      expect((await keys().listKeys()).map((k) => k.alg)).toEqual(['RS256']);
    });

    it('activates, retires and deletes a key by kid; unknown kids are a no-op', async () => {
      await keys().insertKey(aSigningKey('old', { createdAtMs: T0 }));
      await keys().insertKey(aSigningKey('new', { createdAtMs: T0 + 1, activatedAtMs: null }));
      await keys().insertKey(aSigningKey('gone', { createdAtMs: T0 + 2, retiredAtMs: T0 + 2 }));
      await keys().activateKey('new', T0 + 5);
      await keys().retireKey('old', T0 + 5);
      await keys().deleteKey('gone');
      await keys().activateKey('absent', T0);
      await keys().retireKey('absent', T0);
      await keys().deleteKey('absent');
      expect((await keys().listKeys()).map((k) => [k.kid, k.activatedAtMs, k.retiredAtMs])).toEqual([
        ['old', T0, T0 + 5],
        ['new', T0 + 5, null],
      ]);
    });

    it('shows another connection a key once its transaction commits; rolls back one that throws', async () => {
      const other = await t().openAnother();
      await t().store.transaction(async (tx) => {
        await tx.keys.insertKey(aSigningKey('committed'));
        expect(await other.keys.listKeys()).toEqual([]);
      });
      expect((await other.keys.listKeys()).map((k) => k.kid)).toEqual(['committed']);
      await rolledBack(t(), async (tx) => {
        await tx.keys.insertKey(aSigningKey('rolled-back', { createdAtMs: T0 + 1 }));
        await tx.keys.retireKey('committed', T0 + 1);
        await tx.keys.deleteKey('committed');
      });
      expect(await keys().listKeys()).toEqual([aSigningKey('committed')]);
    });
  });
}
