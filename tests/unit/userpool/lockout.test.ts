// The lockout schedule Cognito documents: 2^(n-5) s after the n-th consecutive failure
// (n ≥ 5), capped near 15 minutes; attempts during a lockout are not counted; 15 quiet
// minutes forget the failures.
import { describe, expect, it } from 'vitest';
import { DEFAULT_LOCKOUT_POLICY, MAX_LOCKOUT_MS } from '../../../src/config/limits.js';
import {
  NO_FAILURES,
  QUIET_RESET_MS,
  countedFailures,
  isLockedOut,
  lockoutMs as lockoutMsWith,
  afterFailure as afterFailureWith,
  needsReset,
  type LockoutState,
} from '../../../src/userpool/lockout.js';

// Cognito's policy, the configuration's default.
const lockoutMs = (n: number) => lockoutMsWith(n, DEFAULT_LOCKOUT_POLICY);
const afterFailure = (s: LockoutState, nowMs: number) => afterFailureWith(s, nowMs, DEFAULT_LOCKOUT_POLICY);

describe('lockoutMs', () => {
  it('allows four failures without a lockout', () => {
    for (let n = 0; n < 5; n++) expect(lockoutMs(n)).toBe(0);
  });

  it('locks for 1 s after the fifth failure and doubles after each further one', () => {
    expect([5, 6, 7, 8, 9, 10].map(lockoutMs)).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000]);
  });

  it('never exceeds 15 minutes, however long an attack runs', () => {
    expect(lockoutMs(14)).toBe(512_000);
    expect(lockoutMs(15)).toBe(MAX_LOCKOUT_MS);
    expect(lockoutMs(1_000_000)).toBe(MAX_LOCKOUT_MS);
  });
});

describe('afterFailure', () => {
  const t0 = Date.UTC(2026, 0, 1);

  it('counts failures and starts the first lockout with the fifth', () => {
    let s: LockoutState = NO_FAILURES;
    for (let i = 1; i <= 4; i++) {
      s = afterFailure(s, t0 + i);
      expect(s.failedSignIns).toBe(i);
      expect(isLockedOut(s, t0 + i)).toBe(false);
    }
    s = afterFailure(s, t0 + 10);
    expect(s).toEqual({ failedSignIns: 5, lockedUntilMs: t0 + 10 + 1000 });
    expect(isLockedOut(s, t0 + 10 + 999)).toBe(true);
    expect(isLockedOut(s, t0 + 10 + 1000)).toBe(false);
  });

  it('doubles the next lockout when the first failure after one also fails', () => {
    const s = afterFailure({ failedSignIns: 5, lockedUntilMs: t0 }, t0 + 5);
    expect(s).toEqual({ failedSignIns: 6, lockedUntilMs: t0 + 5 + 2000 });
  });

  it('forgets the failures after 15 minutes without attempts', () => {
    const locked: LockoutState = { failedSignIns: 9, lockedUntilMs: t0 };
    expect(countedFailures(locked, t0 + QUIET_RESET_MS - 1)).toBe(9);
    expect(countedFailures(locked, t0 + QUIET_RESET_MS)).toBe(0);
    expect(afterFailure(locked, t0 + QUIET_RESET_MS)).toEqual({ failedSignIns: 1, lockedUntilMs: t0 + QUIET_RESET_MS });
  });

  it('keeps counting across a long lockout that ended less than 15 minutes ago', () => {
    const s = afterFailure({ failedSignIns: 15, lockedUntilMs: t0 }, t0 + 60_000);
    expect(s).toEqual({ failedSignIns: 16, lockedUntilMs: t0 + 60_000 + MAX_LOCKOUT_MS });
  });
});

describe('needsReset', () => {
  it('is false only for a clean record', () => {
    expect(needsReset(NO_FAILURES)).toBe(false);
    expect(needsReset({ failedSignIns: 1, lockedUntilMs: 5 })).toBe(true);
  });
});

describe('a configured policy', () => {
  const t0 = Date.UTC(2026, 0, 1);
  const policy = { failuresBeforeLockout: 2, maxLockoutMs: 3000 };

  it('starts the lockout at its threshold and stops at its cap', () => {
    expect([0, 1, 2, 3, 4, 5, 1_000_000].map((n) => lockoutMsWith(n, policy))).toEqual([0, 0, 1000, 2000, 3000, 3000, 3000]);
  });

  it('locks after the threshold-th failure', () => {
    const s = afterFailureWith(afterFailureWith(NO_FAILURES, t0, policy), t0 + 1, policy);
    expect(s).toEqual({ failedSignIns: 2, lockedUntilMs: t0 + 1 + 1000 });
    expect(isLockedOut(s, t0 + 2)).toBe(true);
  });

  it('lets a long cap be reached without overflowing', () => {
    const week = 7 * 86_400_000;
    expect(lockoutMsWith(1_000_000, { failuresBeforeLockout: 5, maxLockoutMs: week })).toBe(week);
  });
});
