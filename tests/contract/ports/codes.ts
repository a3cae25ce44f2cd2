// CodesPort's contract (userpool/ports.ts): one live code per user and purpose.
import { describe, expect, it } from 'vitest';
import { aCode, aPool, aUser, freshStorePerTest, rolledBack, sub, T0, type OpenStore } from './fixtures.js';

const POOL = 'ap-northeast-1_Codes0001';
const user = aUser(sub(1), POOL, 'taro');
const other = aUser(sub(2), POOL, 'hanako');

export function codesContract(open: OpenStore): void {
  describe('CodesPort', () => {
    const t = freshStorePerTest(open);
    const codes = () => t().store.codes;
    const setUp = async () => {
      await t().store.pools.createPool(aPool(POOL));
      await t().store.users.createUser(user, {});
      await t().store.users.createUser(other, {});
    };

    it('returns a stored code as given; none for another purpose, another user, or an unknown one', async () => {
      await setUp();
      const code = aCode('code-1', user, 'VERIFY:email', { failedAttempts: 2, expiresAtMs: T0 + 86_400_000, createdAtMs: T0 + 3 });
      await codes().putCode(code);
      expect(await codes().findCode(user.sub, 'VERIFY:email')).toEqual(code);
      expect(await codes().findCode(user.sub, 'VERIFY:phone_number')).toBeUndefined();
      expect(await codes().findCode(user.sub, 'SIGN_UP')).toBeUndefined();
      expect(await codes().findCode(other.sub, 'VERIFY:email')).toBeUndefined();
      expect(await codes().findCode(sub(9), 'VERIFY:email')).toBeUndefined();
    });

    it("replaces the user's live code of the same purpose and keeps the other purposes'", async () => {
      await setUp();
      await codes().putCode(aCode('old', user, 'FORGOT_PASSWORD', { failedAttempts: 3 }));
      await codes().putCode(aCode('signup', user, 'SIGN_UP'));
      await codes().putCode(aCode('others', other, 'FORGOT_PASSWORD'));
      const fresh = aCode('new', user, 'FORGOT_PASSWORD', { createdAtMs: T0 + 60_000 });
      await codes().putCode(fresh);
      expect(await codes().findCode(user.sub, 'FORGOT_PASSWORD')).toEqual(fresh);
      // The replaced code is gone: counting a failure against it finds nothing.
      expect(await codes().recordCodeFailure('old')).toBe(0);
      expect((await codes().findCode(user.sub, 'SIGN_UP'))?.id).toBe('signup');
      expect((await codes().findCode(other.sub, 'FORGOT_PASSWORD'))?.id).toBe('others');
    });

    it('refuses a code for a user that does not exist', async () => {
      await setUp();
      await expect(codes().putCode(aCode('orphan', { sub: sub(9), poolId: POOL }, 'SIGN_UP'))).rejects.toThrow();
    });

    it('counts failed attempts one at a time and returns the new count; 0 for a code that is gone', async () => {
      await setUp();
      await codes().putCode(aCode('c', user, 'SIGN_UP', { failedAttempts: 1 }));
      expect(await codes().recordCodeFailure('c')).toBe(2);
      expect(await codes().recordCodeFailure('c')).toBe(3);
      expect((await codes().findCode(user.sub, 'SIGN_UP'))?.failedAttempts).toBe(3);
      expect(await codes().recordCodeFailure('absent')).toBe(0);
      await codes().deleteCode('c');
      expect(await codes().recordCodeFailure('c')).toBe(0);
    });

    it('counts every failed attempt made in parallel from two connections', async () => {
      await setUp();
      await codes().putCode(aCode('c', user, 'SIGN_UP'));
      const another = await t().openAnother();
      const counts = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? another : t().store).codes.recordCodeFailure('c')));
      expect([...counts].sort()).toEqual([1, 2, 3, 4, 5, 6]);
      expect((await codes().findCode(user.sub, 'SIGN_UP'))?.failedAttempts).toBe(6);
    });

    it('deletes a code by id; deleting an unknown id is a no-op', async () => {
      await setUp();
      await codes().putCode(aCode('c', user, 'SIGN_UP'));
      await codes().putCode(aCode('d', user, 'FORGOT_PASSWORD'));
      await codes().deleteCode('c');
      await codes().deleteCode('absent');
      expect(await codes().findCode(user.sub, 'SIGN_UP')).toBeUndefined();
      expect((await codes().findCode(user.sub, 'FORGOT_PASSWORD'))?.id).toBe('d');
    });

    it("voids the user's live code of one purpose only, and voiding nothing is a no-op", async () => {
      await setUp();
      await codes().putCode(aCode('a', user, 'VERIFY:email'));
      await codes().putCode(aCode('b', user, 'VERIFY:phone_number'));
      await codes().putCode(aCode('c', other, 'VERIFY:email'));
      await codes().voidCode(user.sub, 'VERIFY:email');
      await codes().voidCode(user.sub, 'VERIFY:email');
      expect(await codes().findCode(user.sub, 'VERIFY:email')).toBeUndefined();
      expect((await codes().findCode(user.sub, 'VERIFY:phone_number'))?.id).toBe('b');
      expect((await codes().findCode(other.sub, 'VERIFY:email'))?.id).toBe('c');
    });

    it('rolls back code writes made in a transaction that throws', async () => {
      await setUp();
      const kept = aCode('kept', user, 'SIGN_UP');
      await codes().putCode(kept);
      await rolledBack(t(), async (tx) => {
        await tx.codes.putCode(aCode('replacement', user, 'SIGN_UP'));
        await tx.codes.putCode(aCode('new', user, 'FORGOT_PASSWORD'));
        expect(await tx.codes.recordCodeFailure('replacement')).toBe(1);
        await tx.codes.voidCode(user.sub, 'SIGN_UP');
      });
      expect(await codes().findCode(user.sub, 'SIGN_UP')).toEqual(kept);
      expect(await codes().findCode(user.sub, 'FORGOT_PASSWORD')).toBeUndefined();
    });
  });
}
