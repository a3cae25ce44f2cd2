// LimitsPort's contract (userpool/ports.ts): fixed-window counters shared by every process.
import { describe, expect, it } from 'vitest';
import { freshStorePerTest, rolledBack, T0, type OpenStore } from './fixtures.js';

export function limitsContract(open: OpenStore): void {
  describe('LimitsPort', () => {
    const t = freshStorePerTest(open);
    const limits = () => t().store.limits;

    it('counts hits per key and window, starting at 1', async () => {
      expect(await limits().hit('client:a', T0)).toBe(1);
      expect(await limits().hit('client:a', T0)).toBe(2);
      expect(await limits().hit('client:a', T0 + 1_000)).toBe(1);
      expect(await limits().hit('client:b', T0)).toBe(1);
      expect(await limits().hit('client:a', T0)).toBe(3);
    });

    it('keeps keys apart by case and Unicode form', async () => {
      expect(await limits().hit('ip:Taro', T0)).toBe(1);
      expect(await limits().hit('ip:taro', T0)).toBe(1);
      expect(await limits().hit('user:jos\u00e9', T0)).toBe(1);
      expect(await limits().hit('user:jose\u0301', T0)).toBe(1);
      expect(await limits().hit('user:jos\u00e9', T0)).toBe(2);
    });

    it('counts every hit made in parallel from two connections', async () => {
      const other = await t().openAnother();
      const counts = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? other : t().store).limits.hit('shared', T0)));
      expect([...counts].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(await limits().hit('shared', T0)).toBe(11);
    });

    it('prunes the windows that started before the given time, and only those', async () => {
      await limits().hit('k', T0 - 2_000);
      await limits().hit('k', T0 - 1_000);
      await limits().hit('k', T0);
      await limits().prune(T0 - 1_000);
      // The pruned window counts from 1 again; the kept ones go on.
      expect(await limits().hit('k', T0 - 2_000)).toBe(1);
      expect(await limits().hit('k', T0 - 1_000)).toBe(2);
      expect(await limits().hit('k', T0)).toBe(2);
      await limits().prune(T0 + 1);
      expect(await limits().hit('k', T0)).toBe(1);
    });

    it('rolls back hits made in a transaction that throws', async () => {
      await limits().hit('k', T0);
      await rolledBack(t(), async (tx) => {
        expect(await tx.limits.hit('k', T0)).toBe(2);
        await tx.limits.prune(T0 + 1);
      });
      expect(await limits().hit('k', T0)).toBe(2);
    });
  });
}
