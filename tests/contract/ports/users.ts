// UsersPort's contract (userpool/ports.ts). Storage compares keys exactly: folding case
// (usernameKey, emailKey) is the caller's job, so keys that differ by case, width or
// Unicode normalisation are different users on every database.
import { describe, expect, it } from 'vitest';
import { aClient, aCode, aPool, aSession, aUser, freshStorePerTest, rolledBack, sub, T0, type OpenStore } from './fixtures.js';

const POOL = 'ap-northeast-1_Users0001';
const OTHER_POOL = 'ap-northeast-1_Users0002';

export function usersContract(open: OpenStore): void {
  describe('UsersPort', () => {
    const t = freshStorePerTest(open);
    const users = () => t().store.users;
    const setUp = async () => {
      await t().store.pools.createPool(aPool(POOL));
      await t().store.pools.createPool(aPool(OTHER_POOL));
    };

    describe('createUser and the finders', () => {
      it('returns a created user and its attributes as given', async () => {
        await setUp();
        const user = aUser(sub(1), POOL, 'Tarō', {
          usernameKey: 'tarō',
          emailKey: 'taro@example.jp',
          status: 'FORCE_CHANGE_PASSWORD',
          enabled: false,
          passwordHash: null,
          failedSignIns: 2,
          lockedUntilMs: T0 + 60_000,
          updatedAtMs: T0 + 1,
          temporaryPasswordIssuedAtMs: T0 - 5,
        });
        const attributes = { email: 'Taro@Example.jp', name: '山田 太郎', 'custom:emoji': '🍣', email_verified: 'false' };
        expect(await users().createUser(user, attributes)).toBe(true);
        expect(await users().findUserBySub(POOL, user.sub)).toEqual(user);
        expect(await users().findUserByUsername(POOL, 'tarō')).toEqual(user);
        expect(await users().findUsersByEmail(POOL, 'taro@example.jp')).toEqual([user]);
        expect(await users().getAttributes(user.sub)).toEqual(attributes);
      });

      it('reads a user created without temporaryPasswordIssuedAtMs as null', async () => {
        await setUp();
        const { temporaryPasswordIssuedAtMs: _omitted, ...user } = aUser(sub(1), POOL, 'taro');
        await users().createUser(user, {});
        expect((await users().findUserBySub(POOL, user.sub))?.temporaryPasswordIssuedAtMs).toBeNull();
      });

      it('refuses a taken username key in the pool (false, nothing written); another pool may use it', async () => {
        await setUp();
        expect(await users().createUser(aUser(sub(1), POOL, 'taro'), { name: 'first' })).toBe(true);
        expect(await users().createUser(aUser(sub(2), POOL, 'taro'), { name: 'second' })).toBe(false);
        expect(await users().findUserBySub(POOL, sub(2))).toBeUndefined();
        expect(await users().getAttributes(sub(2))).toEqual({});
        expect(await users().getAttributes(sub(1))).toEqual({ name: 'first' });
        expect(await users().createUser(aUser(sub(3), OTHER_POOL, 'taro'), {})).toBe(true);
        expect(await t().store.pools.countUsers(POOL)).toBe(1);
      });

      it('compares username keys exactly: case, width and normalisation make different keys', async () => {
        await setUp();
        const keys = ['taro', 'Taro', 'ｔａｒｏ', 'jos\u00e9', 'jose\u0301'];
        for (const [i, key] of keys.entries()) expect(await users().createUser(aUser(sub(i + 1), POOL, key), {})).toBe(true);
        for (const [i, key] of keys.entries()) expect((await users().findUserByUsername(POOL, key))?.sub).toBe(sub(i + 1));
        expect(await users().findUserByUsername(POOL, 'TARO')).toBeUndefined();
      });

      it('counts one winner among two connections creating the same username at once', async () => {
        await setUp();
        const other = await t().openAnother();
        const results = await Promise.all([
          users().createUser(aUser(sub(1), POOL, 'race'), { name: 'a' }),
          other.users.createUser(aUser(sub(2), POOL, 'race'), { name: 'b' }),
        ]);
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = await users().findUserByUsername(POOL, 'race');
        expect(await users().getAttributes(winner!.sub)).toEqual({ name: results[0] ? 'a' : 'b' });
        expect(await t().store.pools.countUsers(POOL)).toBe(1);
      });

      it('refuses a user of a pool that does not exist', async () => {
        await expect(users().createUser(aUser(sub(1), 'ap-northeast-1_Absent000', 'taro'), {})).rejects.toThrow();
      });

      it('finds nothing for unknown keys, or for a user of another pool', async () => {
        await setUp();
        await users().createUser(aUser(sub(1), POOL, 'taro', { emailKey: 'taro@example.jp' }), {});
        expect(await users().findUserByUsername(POOL, 'hanako')).toBeUndefined();
        expect(await users().findUserByUsername(OTHER_POOL, 'taro')).toBeUndefined();
        expect(await users().findUserBySub(POOL, sub(9))).toBeUndefined();
        expect(await users().findUserBySub(OTHER_POOL, sub(1))).toBeUndefined();
        expect(await users().findUsersByEmail(POOL, 'hanako@example.jp')).toEqual([]);
        expect(await users().findUsersByEmail(OTHER_POOL, 'taro@example.jp')).toEqual([]);
        expect(await users().findUsersByEmail(POOL, 'TARO@example.jp')).toEqual([]);
      });

      it('finds every user of the pool holding an email key (it is not unique)', async () => {
        await setUp();
        await users().createUser(aUser(sub(1), POOL, 'a', { emailKey: 'shared@example.jp' }), {});
        await users().createUser(aUser(sub(2), POOL, 'b', { emailKey: 'shared@example.jp' }), {});
        await users().createUser(aUser(sub(3), POOL, 'c', { emailKey: null }), {});
        expect((await users().findUsersByEmail(POOL, 'shared@example.jp')).map((u) => u.sub).sort()).toEqual([sub(1), sub(2)]);
      });
    });

    describe('updateUser', () => {
      it('writes the fields given and leaves the others', async () => {
        await setUp();
        const user = aUser(sub(1), POOL, 'taro', { emailKey: 'taro@example.jp', temporaryPasswordIssuedAtMs: T0 });
        await users().createUser(user, {});
        await users().updateUser(user.sub, { status: 'RESET_REQUIRED', enabled: false, passwordHash: null, updatedAtMs: T0 + 7 });
        expect(await users().findUserBySub(POOL, user.sub)).toEqual({ ...user, status: 'RESET_REQUIRED', enabled: false, passwordHash: null, updatedAtMs: T0 + 7 });
        await users().updateUser(user.sub, { emailKey: null, temporaryPasswordIssuedAtMs: null, failedSignIns: 3, lockedUntilMs: T0 + 9 });
        expect(await users().findUserBySub(POOL, user.sub)).toMatchObject({ emailKey: null, temporaryPasswordIssuedAtMs: null, failedSignIns: 3, lockedUntilMs: T0 + 9, status: 'RESET_REQUIRED' });
        // An empty patch and an unknown sub change nothing and do not fail.
        const before = await users().findUserBySub(POOL, user.sub);
        await users().updateUser(user.sub, {});
        await users().updateUser(sub(9), { status: 'CONFIRMED' });
        expect(await users().findUserBySub(POOL, user.sub)).toEqual(before);
        expect(await users().findUserBySub(POOL, sub(9))).toBeUndefined();
      });

      it('renames the user: the new username key finds it, the old one does not; a taken key is refused', async () => {
        await setUp();
        await users().createUser(aUser(sub(1), POOL, 'taro'), {});
        await users().createUser(aUser(sub(2), POOL, 'hanako'), {});
        await users().updateUser(sub(1), { username: 'Jiro', usernameKey: 'jiro' });
        expect((await users().findUserByUsername(POOL, 'jiro'))?.username).toBe('Jiro');
        expect(await users().findUserByUsername(POOL, 'taro')).toBeUndefined();
        await expect(users().updateUser(sub(1), { usernameKey: 'hanako' })).rejects.toThrow();
        expect((await users().findUserByUsername(POOL, 'hanako'))?.sub).toBe(sub(2));
      });
    });

    // The address held beside the email attribute until it is verified (userpool/pending-email.ts).
    describe('pendingEmail', () => {
      it('is null unless given, kept exactly as given, set and cleared by updateUser, and left alone by other patches', async () => {
        await setUp();
        const { pendingEmail: _omitted, ...plain } = aUser(sub(1), POOL, 'taro');
        await users().createUser(plain, {});
        expect((await users().findUserBySub(POOL, sub(1)))?.pendingEmail).toBeNull();
        const held = aUser(sub(2), POOL, 'hanako', { pendingEmail: 'Hanako@Example.jp' });
        await users().createUser(held, {});
        expect(await users().findUserBySub(POOL, sub(2))).toEqual(held);

        // Not lower-cased: the code mailed to it is bound to the address as stored (codes.ts).
        await users().updateUser(sub(1), { pendingEmail: 'New.Taro@Example.jp' });
        expect((await users().findUserBySub(POOL, sub(1)))?.pendingEmail).toBe('New.Taro@Example.jp');
        await users().updateUser(sub(1), { status: 'RESET_REQUIRED', updatedAtMs: T0 + 1 });
        expect((await users().findUserBySub(POOL, sub(1)))?.pendingEmail).toBe('New.Taro@Example.jp');
        await users().updateUser(sub(1), { pendingEmail: null });
        expect((await users().findUserBySub(POOL, sub(1)))?.pendingEmail).toBeNull();
        expect((await users().findUserBySub(POOL, sub(2)))?.pendingEmail).toBe('Hanako@Example.jp');
      });

      it('is no attribute and no sign-in key: attributes and the email finder do not see it', async () => {
        await setUp();
        const user = aUser(sub(1), POOL, 'old@example.jp', { emailKey: 'old@example.jp' });
        await users().createUser(user, { email: 'old@example.jp', email_verified: 'true' });
        await users().updateUser(user.sub, { pendingEmail: 'new@example.jp' });
        expect(await users().getAttributes(user.sub)).toEqual({ email: 'old@example.jp', email_verified: 'true' });
        expect(await users().findUsersByEmail(POOL, 'new@example.jp')).toEqual([]);
        expect((await users().findUsersByEmail(POOL, 'old@example.jp')).map((u) => u.sub)).toEqual([user.sub]);
      });
    });

    describe('setSignInFailures', () => {
      it('writes only while the row holds the expected counters; false for an unknown sub', async () => {
        await setUp();
        await users().createUser(aUser(sub(1), POOL, 'taro'), {});
        expect(await users().setSignInFailures(sub(1), { failedSignIns: 0, lockedUntilMs: 0 }, { failedSignIns: 1, lockedUntilMs: 0 })).toBe(true);
        // Stale on either counter: refused.
        expect(await users().setSignInFailures(sub(1), { failedSignIns: 0, lockedUntilMs: 0 }, { failedSignIns: 5, lockedUntilMs: 5 })).toBe(false);
        expect(await users().setSignInFailures(sub(1), { failedSignIns: 1, lockedUntilMs: 7 }, { failedSignIns: 5, lockedUntilMs: 5 })).toBe(false);
        expect(await users().setSignInFailures(sub(1), { failedSignIns: 1, lockedUntilMs: 0 }, { failedSignIns: 2, lockedUntilMs: T0 + 1 })).toBe(true);
        expect(await users().findUserBySub(POOL, sub(1))).toMatchObject({ failedSignIns: 2, lockedUntilMs: T0 + 1 });
        // Writing the values it already holds still counts as written.
        expect(await users().setSignInFailures(sub(1), { failedSignIns: 2, lockedUntilMs: T0 + 1 }, { failedSignIns: 2, lockedUntilMs: T0 + 1 })).toBe(true);
        expect(await users().setSignInFailures(sub(9), { failedSignIns: 0, lockedUntilMs: 0 }, { failedSignIns: 1, lockedUntilMs: 0 })).toBe(false);
      });

      it('lets exactly one of two connections move the counters from the same expected values', async () => {
        await setUp();
        await users().createUser(aUser(sub(1), POOL, 'taro'), {});
        const other = await t().openAnother();
        const expected = { failedSignIns: 0, lockedUntilMs: 0 };
        const results = await Promise.all([
          users().setSignInFailures(sub(1), expected, { failedSignIns: 1, lockedUntilMs: 1 }),
          other.users.setSignInFailures(sub(1), expected, { failedSignIns: 1, lockedUntilMs: 2 }),
        ]);
        expect(results.filter(Boolean)).toHaveLength(1);
        expect((await users().findUserBySub(POOL, sub(1)))?.lockedUntilMs).toBe(results[0] ? 1 : 2);
      });
    });

    describe('attributes', () => {
      it('upserts: new names are added, existing ones overwritten, others kept', async () => {
        await setUp();
        await users().createUser(aUser(sub(1), POOL, 'taro'), { email: 'a@example.jp', name: 'Taro' });
        await users().setAttributes(POOL, sub(1), { email: 'b@example.jp', 'custom:ｶﾅ': 'ｶﾀｶﾅ', locale: '' });
        expect(await users().getAttributes(sub(1))).toEqual({ email: 'b@example.jp', name: 'Taro', 'custom:ｶﾅ': 'ｶﾀｶﾅ', locale: '' });
        await users().setAttributes(POOL, sub(1), {});
        expect(Object.keys(await users().getAttributes(sub(1)))).toHaveLength(4);
      });

      it('keeps attribute names apart by case', async () => {
        await setUp();
        await users().createUser(aUser(sub(1), POOL, 'taro'), { 'custom:Tier': 'gold', 'custom:tier': 'silver' });
        expect(await users().getAttributes(sub(1))).toEqual({ 'custom:Tier': 'gold', 'custom:tier': 'silver' });
      });

      it('refuses a value or name containing U+0000 on every database (PostgreSQL text cannot hold it), writing nothing', async () => {
        await setUp();
        await users().createUser(aUser(sub(1), POOL, 'taro'), { name: 'Taro' });
        await expect(users().setAttributes(POOL, sub(1), { locale: 'ja', name: 'Ta\u0000ro' })).rejects.toThrow(/U\+0000/);
        await expect(users().setAttributes(POOL, sub(1), { 'custom:a\u0000': 'x' })).rejects.toThrow(/U\+0000/);
        expect(await users().getAttributes(sub(1))).toEqual({ name: 'Taro' });
        await expect(users().createUser(aUser(sub(2), POOL, 'hanako'), { name: '\u0000' })).rejects.toThrow(/U\+0000/);
        expect(await users().findUserBySub(POOL, sub(2))).toBeUndefined();
        expect(await users().findUserByUsername(POOL, 'hanako')).toBeUndefined();
      });

      it('deletes the names given, ignoring absent ones and an empty list', async () => {
        await setUp();
        await users().createUser(aUser(sub(1), POOL, 'taro'), { email: 'a@example.jp', name: 'Taro', locale: 'ja' });
        await users().deleteAttributes(sub(1), ['name', 'nickname']);
        await users().deleteAttributes(sub(1), []);
        expect(await users().getAttributes(sub(1))).toEqual({ email: 'a@example.jp', locale: 'ja' });
        await users().deleteAttributes(sub(9), ['email']);
      });

      it('reads the attributes of many users at once, an empty record for each without any', async () => {
        await setUp();
        await users().createUser(aUser(sub(1), POOL, 'a'), { email: 'a@example.jp' });
        await users().createUser(aUser(sub(2), POOL, 'b'), {});
        await users().createUser(aUser(sub(3), OTHER_POOL, 'c'), { email: 'c@example.jp', name: 'C' });
        const many = await users().getAttributesOfMany([sub(1), sub(2), sub(3), sub(9)]);
        expect(Object.fromEntries(many)).toEqual({ [sub(1)]: { email: 'a@example.jp' }, [sub(2)]: {}, [sub(3)]: { email: 'c@example.jp', name: 'C' }, [sub(9)]: {} });
        expect((await users().getAttributesOfMany([])).size).toBe(0);
        expect(await users().getAttributes(sub(9))).toEqual({});
      });
    });

    describe('deleteUser', () => {
      it("deletes the user with its attributes, codes and sessions, and nothing of another user's", async () => {
        await setUp();
        await t().store.clients.createClient(aClient('client0000000000', POOL));
        const [gone, kept] = [aUser(sub(1), POOL, 'gone'), aUser(sub(2), POOL, 'kept')];
        for (const user of [gone, kept]) {
          await users().createUser(user, { email: `${user.username}@example.jp` });
          await t().store.codes.putCode(aCode(`code-${user.username}`, user, 'FORGOT_PASSWORD'));
          await t().store.sessions.createSession(aSession(`session-${user.username}`, user, 'client0000000000'));
        }
        await users().deleteUser(gone.sub);
        expect(await users().findUserBySub(POOL, gone.sub)).toBeUndefined();
        expect(await users().findUserByUsername(POOL, 'gone')).toBeUndefined();
        expect(await users().getAttributes(gone.sub)).toEqual({});
        expect(await t().store.codes.findCode(gone.sub, 'FORGOT_PASSWORD')).toBeUndefined();
        expect(await t().store.sessions.findSession('session-gone')).toBeUndefined();
        expect(await users().findUserBySub(POOL, kept.sub)).toEqual(kept);
        expect(await users().getAttributes(kept.sub)).toEqual({ email: 'kept@example.jp' });
        expect(await t().store.codes.findCode(kept.sub, 'FORGOT_PASSWORD')).toBeDefined();
        expect(await t().store.sessions.findSession('session-kept')).toBeDefined();
        // The username is free again.
        expect(await users().createUser(aUser(sub(3), POOL, 'gone'), {})).toBe(true);
        await users().deleteUser(sub(9));
      });
    });

    describe('listUsers', () => {
      const seed = async () => {
        await setUp();
        const rows = [
          aUser(sub(1), POOL, 'taro', { status: 'CONFIRMED' }),
          aUser(sub(2), POOL, 'Taro2', { status: 'UNCONFIRMED', enabled: false }),
          aUser(sub(3), POOL, 'hanako', { status: 'FORCE_CHANGE_PASSWORD' }),
          aUser(sub(4), POOL, 'ta%_ro', { status: 'CONFIRMED' }),
          aUser(sub(5), POOL, 'たろう', { status: 'CONFIRMED' }),
        ];
        const attributes: Record<string, string>[] = [
          { email: 'taro@example.jp', family_name: '山田' },
          { email: 'Taro2@example.jp', family_name: '山本' },
          { email: 'hanako@docomo.ne.jp', family_name: '🍣寿司' },
          { email: 'x@example.jp' },
          { email: 'tarou@ezweb.ne.jp', family_name: '山' },
        ];
        for (const [i, u] of rows.entries()) await users().createUser(u, attributes[i]!);
        await users().createUser(aUser(sub(6), OTHER_POOL, 'taro'), { email: 'taro@example.jp' });
      };
      const subsOf = async (filter?: { name: string; op: '=' | '^='; value: string }, limit = 60, afterSub?: string) =>
        (await users().listUsers({ poolId: POOL, filter, limit, afterSub })).map((u) => Number(u.sub.slice(-12)));

      it("lists the pool's users ordered by sub, a page at a time after the last sub seen", async () => {
        await seed();
        expect(await subsOf()).toEqual([1, 2, 3, 4, 5]);
        expect(await subsOf(undefined, 2)).toEqual([1, 2]);
        expect(await subsOf(undefined, 2, sub(2))).toEqual([3, 4]);
        expect(await subsOf(undefined, 2, sub(4))).toEqual([5]);
        expect(await subsOf(undefined, 2, sub(5))).toEqual([]);
        expect(await users().listUsers({ poolId: 'ap-northeast-1_Absent000', limit: 60 })).toEqual([]);
        expect((await users().listUsers({ poolId: POOL, limit: 1 }))[0]).toMatchObject({ sub: sub(1), username: 'taro' });
      });

      it('filters by username, exactly (=) or by a case-sensitive prefix (^=)', async () => {
        await seed();
        expect(await subsOf({ name: 'username', op: '=', value: 'taro' })).toEqual([1]);
        expect(await subsOf({ name: 'username', op: '=', value: 'TARO' })).toEqual([]);
        expect(await subsOf({ name: 'username', op: '^=', value: 'ta' })).toEqual([1, 4]);
        expect(await subsOf({ name: 'username', op: '^=', value: 'Ta' })).toEqual([2]);
        // LIKE's wildcards are literal characters here.
        expect(await subsOf({ name: 'username', op: '^=', value: 'ta%' })).toEqual([4]);
        expect(await subsOf({ name: 'username', op: '^=', value: 't_' })).toEqual([]);
        // Prefixes count characters, not bytes.
        expect(await subsOf({ name: 'username', op: '^=', value: 'たろ' })).toEqual([5]);
        expect(await subsOf({ name: 'username', op: '^=', value: '' })).toEqual([1, 2, 3, 4, 5]);
      });

      it('filters by status (cognito:user_status), by the enabled flag (status) and by sub', async () => {
        await seed();
        expect(await subsOf({ name: 'cognito:user_status', op: '=', value: 'CONFIRMED' })).toEqual([1, 4, 5]);
        expect(await subsOf({ name: 'cognito:user_status', op: '^=', value: 'UN' })).toEqual([2]);
        expect(await subsOf({ name: 'status', op: '=', value: 'Enabled' })).toEqual([1, 3, 4, 5]);
        expect(await subsOf({ name: 'status', op: '=', value: 'Disabled' })).toEqual([2]);
        expect(await subsOf({ name: 'status', op: '=', value: 'enabled' })).toEqual([]);
        expect(await subsOf({ name: 'sub', op: '=', value: sub(3) })).toEqual([3]);
        expect(await subsOf({ name: 'sub', op: '^=', value: sub(4).slice(0, -1) })).toEqual([1, 2, 3, 4, 5]);
      });

      it("filters by an attribute's value, exactly or by prefix, within the pool", async () => {
        await seed();
        expect(await subsOf({ name: 'email', op: '=', value: 'taro@example.jp' })).toEqual([1]);
        expect(await subsOf({ name: 'email', op: '^=', value: 'taro' })).toEqual([1, 5]);
        expect(await subsOf({ name: 'email', op: '^=', value: 'Taro' })).toEqual([2]);
        expect(await subsOf({ name: 'family_name', op: '^=', value: '山' })).toEqual([1, 2, 5]);
        expect(await subsOf({ name: 'family_name', op: '=', value: '山' })).toEqual([5]);
        expect(await subsOf({ name: 'family_name', op: '^=', value: '🍣' })).toEqual([3]);
        expect(await subsOf({ name: 'nickname', op: '^=', value: '' })).toEqual([]);
        expect(await subsOf({ name: 'email', op: '^=', value: '' }, 2, sub(2))).toEqual([3, 4]);
      });
    });

    describe('transactions', () => {
      it('rolls back user writes made in a transaction that throws', async () => {
        await setUp();
        const kept = aUser(sub(1), POOL, 'kept');
        await users().createUser(kept, { email: 'kept@example.jp' });
        await rolledBack(t(), async (tx) => {
          expect(await tx.users.createUser(aUser(sub(2), POOL, 'new'), { email: 'new@example.jp' })).toBe(true);
          await tx.users.updateUser(kept.sub, { status: 'RESET_REQUIRED' });
          await tx.users.setSignInFailures(kept.sub, { failedSignIns: 0, lockedUntilMs: 0 }, { failedSignIns: 4, lockedUntilMs: 4 });
          await tx.users.setAttributes(POOL, kept.sub, { email: 'changed@example.jp' });
          await tx.users.deleteAttributes(kept.sub, ['email']);
          await tx.users.deleteUser(kept.sub);
        });
        expect(await users().findUserBySub(POOL, sub(2))).toBeUndefined();
        expect(await users().getAttributes(sub(2))).toEqual({});
        expect(await users().findUserBySub(POOL, kept.sub)).toEqual(kept);
        expect(await users().getAttributes(kept.sub)).toEqual({ email: 'kept@example.jp' });
      });

      it('shows another connection a user once its transaction commits, not before', async () => {
        await setUp();
        const other = await t().openAnother();
        await t().store.transaction(async (tx) => {
          await tx.users.createUser(aUser(sub(1), POOL, 'taro'), { email: 'taro@example.jp' });
          expect(await other.users.findUserByUsername(POOL, 'taro')).toBeUndefined();
          expect(await other.users.getAttributes(sub(1))).toEqual({});
        });
        expect((await other.users.findUserByUsername(POOL, 'taro'))?.sub).toBe(sub(1));
        expect(await other.users.getAttributes(sub(1))).toEqual({ email: 'taro@example.jp' });
      });
    });
  });
}
