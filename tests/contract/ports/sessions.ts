// SessionsPort's contract (userpool/ports.ts): refresh-token sessions and their revocation.
import { describe, expect, it } from 'vitest';
import { aClient, aPool, aSession, aUser, freshStorePerTest, rolledBack, sub, T0, type OpenStore } from './fixtures.js';

const POOL = 'ap-northeast-1_Session01';
const CLIENT = 'sessionclient000';
const user = aUser(sub(1), POOL, 'taro');
const other = aUser(sub(2), POOL, 'hanako');

export function sessionsContract(open: OpenStore): void {
  describe('SessionsPort', () => {
    const t = freshStorePerTest(open);
    const sessions = () => t().store.sessions;
    const setUp = async () => {
      await t().store.pools.createPool(aPool(POOL));
      await t().store.clients.createClient(aClient(CLIENT, POOL));
      await t().store.users.createUser(user, {});
      await t().store.users.createUser(other, {});
    };

    it('finds a created session by id and by refresh-token hash; nothing for unknown ones', async () => {
      await setUp();
      const session = aSession('3f2c5a0e-origin-jti', user, CLIENT, { refreshTokenHash: 'Qk1x+/=', authTimeMs: T0 - 5, createdAtMs: T0 + 1, expiresAtMs: T0 + 99 });
      await sessions().createSession(session);
      expect(await sessions().findSession(session.id)).toEqual(session);
      expect(await sessions().findSessionByRefreshHash('Qk1x+/=')).toEqual(session);
      expect(await sessions().findSession('unknown')).toBeUndefined();
      expect(await sessions().findSessionByRefreshHash('qk1x+/=')).toBeUndefined();
    });

    it('refuses a session whose id or refresh-token hash is taken, and one of an unknown user', async () => {
      await setUp();
      await sessions().createSession(aSession('s1', user, CLIENT, { refreshTokenHash: 'h1' }));
      await expect(sessions().createSession(aSession('s1', user, CLIENT, { refreshTokenHash: 'h2' }))).rejects.toThrow();
      await expect(sessions().createSession(aSession('s2', user, CLIENT, { refreshTokenHash: 'h1' }))).rejects.toThrow();
      await expect(sessions().createSession(aSession('s3', { sub: sub(9), poolId: POOL }, CLIENT))).rejects.toThrow();
      expect(await sessions().findSession('s2')).toBeUndefined();
      expect(await sessions().findSession('s3')).toBeUndefined();
    });

    it('revokes a session once: a second revocation keeps the first time; an unknown id is a no-op', async () => {
      await setUp();
      await sessions().createSession(aSession('s1', user, CLIENT));
      await sessions().createSession(aSession('s2', user, CLIENT));
      await sessions().revokeSession('s1', T0 + 10);
      await sessions().revokeSession('s1', T0 + 20);
      await sessions().revokeSession('unknown', T0 + 20);
      expect((await sessions().findSession('s1'))?.revokedAtMs).toBe(T0 + 10);
      expect((await sessions().findSessionByRefreshHash('refresh-s1'))?.revokedAtMs).toBe(T0 + 10);
      expect((await sessions().findSession('s2'))?.revokedAtMs).toBeNull();
    });

    it("revokes every live session of a user, keeping earlier revocation times and other users' sessions", async () => {
      await setUp();
      await sessions().createSession(aSession('a1', user, CLIENT));
      await sessions().createSession(aSession('a2', user, CLIENT));
      await sessions().createSession(aSession('b1', other, CLIENT));
      await sessions().revokeSession('a1', T0 + 1);
      await sessions().revokeUserSessions(user.sub, T0 + 2);
      expect((await sessions().findSession('a1'))?.revokedAtMs).toBe(T0 + 1);
      expect((await sessions().findSession('a2'))?.revokedAtMs).toBe(T0 + 2);
      expect((await sessions().findSession('b1'))?.revokedAtMs).toBeNull();
      await sessions().revokeUserSessions(sub(9), T0 + 3);
    });

    it('rolls back session writes made in a transaction that throws', async () => {
      await setUp();
      await sessions().createSession(aSession('kept', user, CLIENT));
      await rolledBack(t(), async (tx) => {
        await tx.sessions.createSession(aSession('new', user, CLIENT));
        await tx.sessions.revokeUserSessions(user.sub, T0 + 5);
        expect((await tx.sessions.findSession('kept'))?.revokedAtMs).toBe(T0 + 5);
      });
      expect(await sessions().findSession('new')).toBeUndefined();
      expect((await sessions().findSession('kept'))?.revokedAtMs).toBeNull();
    });

    it('shows another connection a revocation once it commits', async () => {
      await setUp();
      await sessions().createSession(aSession('s1', user, CLIENT));
      const another = await t().openAnother();
      await t().store.transaction(async (tx) => {
        await tx.sessions.revokeSession('s1', T0 + 1);
        expect((await another.sessions.findSession('s1'))?.revokedAtMs).toBeNull();
      });
      expect((await another.sessions.findSession('s1'))?.revokedAtMs).toBe(T0 + 1);
    });
  });
}
