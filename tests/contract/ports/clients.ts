// ClientsPort's contract (userpool/ports.ts).
import { describe, expect, it } from 'vitest';
import { aClient, aPool, aSession, aUser, freshStorePerTest, rolledBack, sub, T0, type OpenStore } from './fixtures.js';

const POOL = 'ap-northeast-1_Clients01';
const OTHER_POOL = 'ap-northeast-1_Clients02';

export function clientsContract(open: OpenStore): void {
  describe('ClientsPort', () => {
    const t = freshStorePerTest(open);
    const setUp = async () => {
      await t().store.pools.createPool(aPool(POOL));
      await t().store.pools.createPool(aPool(OTHER_POOL));
    };

    it('returns a created client as given, with or without a secret', async () => {
      await setUp();
      const withSecret = aClient('1example23456789', POOL, {
        name: 'ウェブ',
        secret: 'sEcReT/+=0123456789abcdefghijklmnopqrstuvwxyzABCDEF',
        settings: { ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'], TokenValidityUnits: { AccessToken: 'minutes' }, AccessTokenValidity: 5, ReadAttributes: ['email'] },
        updatedAtMs: T0 + 1,
      });
      const without = aClient('2example23456789', POOL);
      await t().store.clients.createClient(withSecret);
      await t().store.clients.createClient(without);
      expect(await t().store.clients.findClient(withSecret.id)).toEqual(withSecret);
      expect(await t().store.clients.findClient(without.id)).toEqual(without);
    });

    it('finds no client for an unknown id, nor for the id in another case', async () => {
      await setUp();
      await t().store.clients.createClient(aClient('abcdefghijklmnop', POOL));
      expect(await t().store.clients.findClient('nosuchclient0000')).toBeUndefined();
      expect(await t().store.clients.findClient('ABCDEFGHIJKLMNOP')).toBeUndefined();
    });

    it('refuses a client with a taken id, and a client of a pool that does not exist', async () => {
      await setUp();
      await t().store.clients.createClient(aClient('takenclientid000', POOL, { name: 'first' }));
      await expect(t().store.clients.createClient(aClient('takenclientid000', OTHER_POOL, { name: 'second' }))).rejects.toThrow();
      expect(await t().store.clients.findClient('takenclientid000')).toMatchObject({ poolId: POOL, name: 'first' });
      await expect(t().store.clients.createClient(aClient('orphanclient0000', 'ap-northeast-1_Absent000'))).rejects.toThrow();
      expect(await t().store.clients.findClient('orphanclient0000')).toBeUndefined();
    });

    it('updates name, settings and updatedAt, keeping the secret and createdAt; an unknown id is a no-op', async () => {
      await setUp();
      const client = aClient('updatedclient000', POOL, { secret: 's3cret' });
      await t().store.clients.createClient(client);
      const settings = { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'], EnableTokenRevocation: true };
      await t().store.clients.updateClient(client.id, 'renamed', settings, T0 + 9);
      expect(await t().store.clients.findClient(client.id)).toEqual({ ...client, name: 'renamed', settings, updatedAtMs: T0 + 9 });
      await t().store.clients.updateClient('absentclient0000', 'x', settings, T0);
      expect(await t().store.clients.findClient('absentclient0000')).toBeUndefined();
    });

    it("lists a pool's clients in code-point order of id, a page at a time, without other pools' clients", async () => {
      await setUp();
      for (const id of ['c', 'B', 'a', 'A', '9']) await t().store.clients.createClient(aClient(`${id}client`, POOL));
      await t().store.clients.createClient(aClient('0otherpool', OTHER_POOL));
      const sorted = ['9client', 'Aclient', 'Bclient', 'aclient', 'cclient'];
      expect((await t().store.clients.listClients(POOL, 60, undefined)).map((c) => c.id)).toEqual(sorted);
      const first = await t().store.clients.listClients(POOL, 2, undefined);
      expect(first.map((c) => c.id)).toEqual(sorted.slice(0, 2));
      expect((await t().store.clients.listClients(POOL, 2, first.at(-1)!.id)).map((c) => c.id)).toEqual(sorted.slice(2, 4));
      expect((await t().store.clients.listClients(POOL, 2, 'b')).map((c) => c.id)).toEqual(['cclient']);
      expect(await t().store.clients.listClients('ap-northeast-1_Absent000', 60, undefined)).toEqual([]);
    });

    it("deletes a client with its sessions, leaving its users and other clients' sessions", async () => {
      await setUp();
      const user = aUser(sub(1), POOL, 'taro');
      await t().store.users.createUser(user, {});
      await t().store.clients.createClient(aClient('goneclient000000', POOL));
      await t().store.clients.createClient(aClient('keptclient000000', POOL));
      await t().store.sessions.createSession(aSession('s-gone', user, 'goneclient000000'));
      await t().store.sessions.createSession(aSession('s-kept', user, 'keptclient000000'));
      await t().store.clients.deleteClient('goneclient000000');
      expect(await t().store.clients.findClient('goneclient000000')).toBeUndefined();
      expect(await t().store.sessions.findSession('s-gone')).toBeUndefined();
      expect(await t().store.sessions.findSessionByRefreshHash('refresh-s-gone')).toBeUndefined();
      expect(await t().store.sessions.findSession('s-kept')).toBeDefined();
      expect(await t().store.users.findUserBySub(POOL, user.sub)).toBeDefined();
      await t().store.clients.deleteClient('absentclient0000');
      expect(await t().store.clients.listClients(POOL, 60, undefined)).toHaveLength(1);
    });

    it('rolls back client writes made in a transaction that throws', async () => {
      await setUp();
      const kept = aClient('keptclient000000', POOL);
      await t().store.clients.createClient(kept);
      await rolledBack(t(), async (tx) => {
        await tx.clients.createClient(aClient('newclient0000000', POOL));
        await tx.clients.updateClient(kept.id, 'renamed', {}, T0 + 1);
        await tx.clients.deleteClient(kept.id);
      });
      expect(await t().store.clients.findClient('newclient0000000')).toBeUndefined();
      expect(await t().store.clients.findClient(kept.id)).toEqual(kept);
    });
  });
}
