// UsersPort.setSignInFailures on SQLite and PostgreSQL: a compare-and-set, so wrong
// passwords guessed in parallel — also from several todoku processes — are all counted.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore } from '../helpers/db.js';
import { ManualClock } from '../../src/core/clock.js';
import { loadConfig } from '../../src/config/index.js';
import { DEFAULT_PASSWORD_POLICY } from '../../src/userpool/passwords.js';
import { recordFailedPassword } from '../../src/userpool/sign-in.js';
import type { User } from '../../src/userpool/model.js';

const POOL = 'ap-northeast-1_Contract1';
const SUB = '00000000-0000-4000-8000-000000000001';

let t: TestStore;
beforeEach(async () => {
  t = await openTestStore();
  const nowMs = Date.UTC(2026, 0, 1);
  await t.store.pools.createPool({ id: POOL, name: 'p', settings: { Policies: { PasswordPolicy: DEFAULT_PASSWORD_POLICY } }, createdAtMs: nowMs, updatedAtMs: nowMs });
  const user: User = {
    sub: SUB,
    poolId: POOL,
    username: 'taro',
    usernameKey: 'taro',
    emailKey: null,
    status: 'CONFIRMED',
    enabled: true,
    passwordHash: 'x',
    failedSignIns: 0,
    lockedUntilMs: 0,
    createdAtMs: nowMs,
    updatedAtMs: nowMs,
  };
  await t.store.users.createUser(user, {});
});
afterEach(async () => {
  await t.close();
});

describe('UsersPort.setSignInFailures', () => {
  it('writes only while the row holds the expected counters', async () => {
    const users = t.store.users;
    expect(await users.setSignInFailures(SUB, { failedSignIns: 0, lockedUntilMs: 0 }, { failedSignIns: 1, lockedUntilMs: 10 })).toBe(true);
    expect(await users.setSignInFailures(SUB, { failedSignIns: 0, lockedUntilMs: 0 }, { failedSignIns: 1, lockedUntilMs: 20 })).toBe(false);
    const user = await users.findUserBySub(POOL, SUB);
    expect([user!.failedSignIns, user!.lockedUntilMs]).toEqual([1, 10]);
  });

  it('counts every one of many parallel wrong passwords from two processes', async () => {
    const other = await t.openAnother();
    // A clock that stands still keeps every failure below the lockout's quiet-period reset.
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
    const calls = Array.from({ length: 4 }, (_, i) => recordFailedPassword({ store: i % 2 ? other : t.store, clock, config: loadConfig({}) }, SUB, POOL));
    await Promise.all(calls);
    const user = await t.store.users.findUserBySub(POOL, SUB);
    expect(user!.failedSignIns).toBe(4);
    expect(user!.lockedUntilMs).toBe(clock.nowMs());
  });
});
