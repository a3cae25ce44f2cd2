// Store.withStartupLock, on SQLite and PostgreSQL: processes (here, two stores on one
// database) running first-start work at once take turns, so a check-then-create inside it
// creates once; what it writes lands whole or not at all.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore } from '../helpers/db.js';
import type { Store } from '../../src/ports.js';

describe('Store.withStartupLock', () => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore();
  });
  afterEach(async () => {
    await t.close();
  });

  it('runs two processes\' check-then-create one after the other: one creates, both see it', async () => {
    const other = await t.openAnother();
    const created: string[] = [];
    const firstStart = (store: Store, me: string) =>
      store.withStartupLock(async (locked) => {
        const existing = await locked.settings.getSetting('first_start');
        // Yield for real time: without the lock the other process would check now too.
        await sleep(50);
        if (existing) return existing;
        created.push(me);
        return locked.transaction((tx) => tx.settings.putSettingIfAbsent('first_start', me));
      });
    const seen = await Promise.all([firstStart(t.store, 'a'), firstStart(other, 'b')]);
    expect(created).toHaveLength(1);
    expect(seen).toEqual([created[0], created[0]]);
  });

  it('rolls back everything when the work fails, and frees the lock', async () => {
    await expect(
      t.store.withStartupLock(async (locked) => {
        await locked.transaction((tx) => tx.settings.putSettingIfAbsent('half_done', 'x'));
        throw new Error('failed mid-way');
      }),
    ).rejects.toThrow('failed mid-way');
    expect(await t.store.settings.getSetting('half_done')).toBeUndefined();
    const other = await t.openAnother();
    expect(await other.withStartupLock(async (locked) => locked.settings.putSettingIfAbsent('after', 'y'))).toBe('y');
  });
});
