// UsersPort.reserveSignInAttempt on SQLite and PostgreSQL: one conditional UPDATE admits a
// password check and counts it as a failure before argon2 runs, so guesses in parallel —
// also from several todoku processes — are all counted and no more are checked than the
// lockout allows (issue 13 #1). Its SQL is lockout.ts's afterFailure; compared here.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore } from '../helpers/db.js';
import { ManualClock } from '../../src/core/clock.js';
import { loadConfig } from '../../src/config/index.js';
import { DEFAULT_PASSWORD_POLICY } from '../../src/userpool/passwords.js';
import { reservePasswordCheck } from '../../src/userpool/sign-in.js';
import { QUIET_RESET_MS, afterFailure, isLockedOut, signInAttemptRule, type LockoutState } from '../../src/userpool/lockout.js';
import { DEFAULT_LOCKOUT_POLICY, type LockoutPolicy } from '../../src/config/limits.js';
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

describe('UsersPort.reserveSignInAttempt', () => {
  const t0 = Date.UTC(2026, 0, 1, 12);
  const cases: [string, LockoutState, number, LockoutPolicy][] = [
    ['a first failure', { failedSignIns: 0, lockedUntilMs: 0 }, t0, DEFAULT_LOCKOUT_POLICY],
    ['a failure below the threshold', { failedSignIns: 3, lockedUntilMs: t0 - 5 }, t0, DEFAULT_LOCKOUT_POLICY],
    ['the failure that starts the 1 s lockout', { failedSignIns: 4, lockedUntilMs: t0 - 5 }, t0, DEFAULT_LOCKOUT_POLICY],
    ['the first failure after a lockout ended (2 s)', { failedSignIns: 5, lockedUntilMs: t0 }, t0, DEFAULT_LOCKOUT_POLICY],
    ['a long run of failures (capped)', { failedSignIns: 30, lockedUntilMs: t0 - 1 }, t0, DEFAULT_LOCKOUT_POLICY],
    ['an attempt during a lockout (refused, unchanged)', { failedSignIns: 6, lockedUntilMs: t0 + 1 }, t0, DEFAULT_LOCKOUT_POLICY],
    ['a failure after 15 quiet minutes (counted afresh)', { failedSignIns: 9, lockedUntilMs: t0 - QUIET_RESET_MS }, t0, DEFAULT_LOCKOUT_POLICY],
    ['one failure before a 1 s cap (a one-step schedule)', { failedSignIns: 0, lockedUntilMs: 0 }, t0, { failuresBeforeLockout: 1, maxLockoutMs: 1000 }],
    ['two before a 3 s cap', { failedSignIns: 3, lockedUntilMs: t0 }, t0, { failuresBeforeLockout: 2, maxLockoutMs: 3000 }],
  ];
  for (const [name, state, nowMs, policy] of cases) {
    it(`writes afterFailure for ${name}`, async () => {
      await t.store.users.updateUser(SUB, state);
      const admitted = await t.store.users.reserveSignInAttempt(SUB, nowMs, signInAttemptRule(policy));
      expect(admitted).toBe(!isLockedOut(state, nowMs));
      const user = await t.store.users.findUserBySub(POOL, SUB);
      const expected = admitted ? afterFailure(state, nowMs, policy) : state;
      expect({ failedSignIns: user!.failedSignIns, lockedUntilMs: user!.lockedUntilMs }).toEqual(expected);
    });
  }

  it('admits nothing for a user that does not exist', async () => {
    expect(await t.store.users.reserveSignInAttempt('00000000-0000-4000-8000-00000000dead', t0, signInAttemptRule(DEFAULT_LOCKOUT_POLICY))).toBe(false);
  });

  it('counts every one of many parallel wrong passwords from two processes', async () => {
    const other = await t.openAnother();
    // A clock that stands still keeps every failure below the lockout's quiet-period reset.
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
    const calls = Array.from({ length: 4 }, (_, i) => reservePasswordCheck({ store: i % 2 ? other : t.store, clock, config: loadConfig({}) }, SUB));
    await Promise.all(calls);
    const user = await t.store.users.findUserBySub(POOL, SUB);
    expect(user!.failedSignIns).toBe(4);
    expect(user!.lockedUntilMs).toBe(clock.nowMs());
  });

  it('admits no more checks than the lockout allows of forty racing from two processes, then one per lockout', async () => {
    const other = await t.openAnother();
    const clock = new ManualClock(t0);
    const config = loadConfig({});
    const race = () => Promise.all(Array.from({ length: 40 }, (_, i) => reservePasswordCheck({ store: i % 2 ? other : t.store, clock, config }, SUB)));
    expect((await race()).filter(Boolean)).toHaveLength(DEFAULT_LOCKOUT_POLICY.failuresBeforeLockout);
    let user = await t.store.users.findUserBySub(POOL, SUB);
    expect([user!.failedSignIns, user!.lockedUntilMs]).toEqual([5, t0 + 1000]);

    clock.advance(1000);
    expect((await race()).filter(Boolean)).toHaveLength(1);
    user = await t.store.users.findUserBySub(POOL, SUB);
    expect([user!.failedSignIns, user!.lockedUntilMs]).toEqual([6, t0 + 1000 + 2000]);
  });
});

describe('LimitsPort.reserveNameSignInAttempt: the lockout of a name without a user', () => {
  const t0 = Date.UTC(2026, 0, 1, 12);
  const rule = signInAttemptRule(DEFAULT_LOCKOUT_POLICY);

  it('follows afterFailure from the first failure, refuses during a lockout, and forgets after 15 quiet minutes', async () => {
    const limits = t.store.limits;
    const key = `${POOL}:nobody@example.jp`;
    let state: LockoutState = { failedSignIns: 0, lockedUntilMs: 0 };
    let now = t0;
    const nowAndThen = [0, 1, 2, 3, 4, 500, 1004, 1005, 3004 + QUIET_RESET_MS];
    for (const offset of nowAndThen) {
      now = t0 + offset;
      const admitted = await limits.reserveNameSignInAttempt(key, now, rule);
      expect(admitted, `at +${offset} ms`).toBe(!isLockedOut(state, now));
      if (admitted) state = afterFailure(state, now, DEFAULT_LOCKOUT_POLICY);
    }
    expect(state.failedSignIns).toBe(1);
    // Another name has its own count.
    expect(await limits.reserveNameSignInAttempt(`${POOL}:other@example.jp`, t0 + 600, rule)).toBe(true);
  });

  it('admits five of forty attempts racing from two processes', async () => {
    const other = await t.openAnother();
    const key = `${POOL}:raced@example.jp`;
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? other : t.store).limits.reserveNameSignInAttempt(key, t0, rule)));
    expect(results.filter(Boolean)).toHaveLength(DEFAULT_LOCKOUT_POLICY.failuresBeforeLockout);
  });

  it('is pruned once its lockout ended before the cut-off', async () => {
    const key = `${POOL}:pruned@example.jp`;
    for (let i = 0; i < 5; i++) await t.store.limits.reserveNameSignInAttempt(key, t0, rule);
    expect(await t.store.limits.reserveNameSignInAttempt(key, t0 + 1, rule)).toBe(false);
    await t.store.limits.prune(t0 + 2000);
    expect(await t.store.limits.reserveNameSignInAttempt(key, t0 + 1, rule)).toBe(true);
  });
});
