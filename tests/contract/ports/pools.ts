// PoolsPort's contract (userpool/ports.ts): what every storage must do for the pool actions.
import { describe, expect, it } from 'vitest';
import { aClient, aCode, aPool, aSession, aUser, freshStorePerTest, rolledBack, sub, T0, type OpenStore } from './fixtures.js';

export function poolsContract(open: OpenStore): void {
  describe('PoolsPort', () => {
    const t = freshStorePerTest(open);

    it('returns a created pool as given, settings and Unicode included', async () => {
      const pool = aPool('ap-northeast-1_Pools0001', {
        name: '会員プール 🌸',
        settings: {
          Policies: { PasswordPolicy: { MinimumLength: 12, RequireUppercase: false, RequireLowercase: true, RequireNumbers: true, RequireSymbols: false, TemporaryPasswordValidityDays: 3 } },
          UsernameAttributes: ['email'],
          UsernameConfiguration: { CaseSensitive: false },
          UserPoolTags: { 部署: '営業' },
          DefaultLanguage: 'ja',
        },
        createdAtMs: T0,
        updatedAtMs: T0 + 1,
      });
      await t().store.pools.createPool(pool);
      expect(await t().store.pools.findPool(pool.id)).toEqual(pool);
    });

    it('finds no pool for an unknown id, nor for the id in another case', async () => {
      await t().store.pools.createPool(aPool('ap-northeast-1_Pools0002'));
      expect(await t().store.pools.findPool('ap-northeast-1_Nope00000')).toBeUndefined();
      expect(await t().store.pools.findPool('AP-NORTHEAST-1_POOLS0002')).toBeUndefined();
    });

    it('refuses a second pool with a taken id and keeps the first', async () => {
      await t().store.pools.createPool(aPool('ap-northeast-1_Pools0003', { name: 'first' }));
      await expect(t().store.pools.createPool(aPool('ap-northeast-1_Pools0003', { name: 'second' }))).rejects.toThrow();
      expect((await t().store.pools.findPool('ap-northeast-1_Pools0003'))?.name).toBe('first');
    });

    it('updates name, settings and updatedAt, keeping createdAt; an unknown id is a no-op', async () => {
      const pool = aPool('ap-northeast-1_Pools0004');
      await t().store.pools.createPool(pool);
      const settings = { ...pool.settings, MfaConfiguration: 'OFF' as const, UserPoolTags: { env: 'テスト' } };
      await t().store.pools.updatePool(pool.id, 'renamed', settings, T0 + 5_000);
      expect(await t().store.pools.findPool(pool.id)).toEqual({ ...pool, name: 'renamed', settings, updatedAtMs: T0 + 5_000 });
      await t().store.pools.updatePool('ap-northeast-1_Absent000', 'x', settings, T0);
      expect(await t().store.pools.findPool('ap-northeast-1_Absent000')).toBeUndefined();
    });

    it('lists pools in code-point order of id, a page at a time after the last id seen', async () => {
      // Upper case sorts before lower case (code points), on both databases.
      const ids = ['ap-northeast-1_b', 'ap-northeast-1_A', 'ap-northeast-1_a', 'ap-northeast-1_B', 'us-east-1_z', 'ap-northeast-1_0'];
      for (const id of ids) await t().store.pools.createPool(aPool(id));
      const sorted = ['ap-northeast-1_0', 'ap-northeast-1_A', 'ap-northeast-1_B', 'ap-northeast-1_a', 'ap-northeast-1_b', 'us-east-1_z'];
      expect((await t().store.pools.listPools(60, undefined)).map((p) => p.id)).toEqual(sorted);
      const first = await t().store.pools.listPools(4, undefined);
      expect(first.map((p) => p.id)).toEqual(sorted.slice(0, 4));
      const second = await t().store.pools.listPools(4, first.at(-1)!.id);
      expect(second.map((p) => p.id)).toEqual(sorted.slice(4));
      expect(await t().store.pools.listPools(4, sorted.at(-1))).toEqual([]);
      // The cursor need not be a stored id (its pool may have been deleted meanwhile).
      expect((await t().store.pools.listPools(60, 'ap-northeast-1_AA')).map((p) => p.id)).toEqual(sorted.slice(2));
      expect(await t().store.pools.listPools(60, undefined).then((l) => l[0])).toEqual(aPool(sorted[0]!));
    });

    it('lists nothing on an empty store', async () => {
      expect(await t().store.pools.listPools(10, undefined)).toEqual([]);
    });

    it("counts a pool's users, 0 for an empty or unknown pool", async () => {
      await t().store.pools.createPool(aPool('ap-northeast-1_Count0001'));
      await t().store.pools.createPool(aPool('ap-northeast-1_Count0002'));
      expect(await t().store.pools.countUsers('ap-northeast-1_Count0001')).toBe(0);
      await t().store.users.createUser(aUser(sub(1), 'ap-northeast-1_Count0001', 'a'), {});
      await t().store.users.createUser(aUser(sub(2), 'ap-northeast-1_Count0001', 'b'), {});
      await t().store.users.createUser(aUser(sub(3), 'ap-northeast-1_Count0002', 'a'), {});
      expect(await t().store.pools.countUsers('ap-northeast-1_Count0001')).toBe(2);
      expect(await t().store.pools.countUsers('ap-northeast-1_Count0002')).toBe(1);
      expect(await t().store.pools.countUsers('ap-northeast-1_Absent000')).toBe(0);
    });

    it('deletes a pool with its clients, users, attributes, codes and sessions — and nothing of another pool', async () => {
      const s = t().store;
      const gone = aPool('ap-northeast-1_Delete001');
      const kept = aPool('ap-northeast-1_Delete002');
      for (const pool of [gone, kept]) await s.pools.createPool(pool);
      const goneUser = aUser(sub(1), gone.id, 'taro');
      const keptUser = aUser(sub(2), kept.id, 'taro');
      for (const [user, clientId] of [[goneUser, 'clientgone'], [keptUser, 'clientkept']] as const) {
        await s.clients.createClient(aClient(clientId, user.poolId));
        await s.users.createUser(user, { email: `${user.sub}@example.jp` });
        await s.codes.putCode(aCode(`code-${user.sub}`, user, 'SIGN_UP'));
        await s.sessions.createSession(aSession(`session-${user.sub}`, user, clientId));
      }
      await s.pools.deletePool(gone.id);

      expect(await s.pools.findPool(gone.id)).toBeUndefined();
      expect(await s.clients.findClient('clientgone')).toBeUndefined();
      expect(await s.users.findUserBySub(gone.id, goneUser.sub)).toBeUndefined();
      expect(await s.users.getAttributes(goneUser.sub)).toEqual({});
      expect(await s.codes.findCode(goneUser.sub, 'SIGN_UP')).toBeUndefined();
      expect(await s.sessions.findSession(`session-${goneUser.sub}`)).toBeUndefined();
      expect(await s.pools.countUsers(gone.id)).toBe(0);

      expect(await s.pools.findPool(kept.id)).toEqual(kept);
      expect(await s.clients.findClient('clientkept')).toBeDefined();
      expect(await s.users.findUserBySub(kept.id, keptUser.sub)).toBeDefined();
      expect(await s.users.getAttributes(keptUser.sub)).toEqual({ email: `${keptUser.sub}@example.jp` });
      expect(await s.codes.findCode(keptUser.sub, 'SIGN_UP')).toBeDefined();
      expect(await s.sessions.findSession(`session-${keptUser.sub}`)).toBeDefined();
    });

    it('deleting an unknown pool is a no-op', async () => {
      await t().store.pools.createPool(aPool('ap-northeast-1_Delete003'));
      await t().store.pools.deletePool('ap-northeast-1_Absent000');
      expect(await t().store.pools.listPools(10, undefined)).toHaveLength(1);
    });

    it('rolls back a create and a delete made in a transaction that throws', async () => {
      const kept = aPool('ap-northeast-1_Tx0000001');
      await t().store.pools.createPool(kept);
      await t().store.users.createUser(aUser(sub(1), kept.id, 'taro'), {});
      await rolledBack(t(), async (tx) => {
        await tx.pools.createPool(aPool('ap-northeast-1_Tx0000002'));
        await tx.pools.updatePool(kept.id, 'renamed', kept.settings, T0 + 1);
        await tx.pools.deletePool(kept.id);
        expect(await tx.pools.findPool(kept.id)).toBeUndefined();
      });
      expect(await t().store.pools.findPool('ap-northeast-1_Tx0000002')).toBeUndefined();
      expect(await t().store.pools.findPool(kept.id)).toEqual(kept);
      expect(await t().store.pools.countUsers(kept.id)).toBe(1);
    });

    it('shows another connection a pool once its transaction commits, not before', async () => {
      const other = await t().openAnother();
      const pool = aPool('ap-northeast-1_Tx0000003');
      await t().store.transaction(async (tx) => {
        await tx.pools.createPool(pool);
        expect(await other.pools.findPool(pool.id)).toBeUndefined();
      });
      expect(await other.pools.findPool(pool.id)).toEqual(pool);
    });
  });
}
