// Cognito's lockout for failed password sign-ins, as a pure schedule over the two counters
// kept in the users row. Cognito developer guide, "Lockout behavior for failed sign-in
// attempts": after five failed attempts the user is locked out for one second, doubling
// with each further failure (2^(n-5) s for n cumulative failures) up to about 15 minutes;
// attempts during a lockout get "Password attempts exceeded" and do not count; the counter
// returns to zero after a successful sign-in, or after 15 minutes without attempts.
// The threshold and the cap are the operator's (config: TODOKU_SIGNIN_*), passed in as a
// LockoutPolicy; Cognito's values are the configuration's defaults (config/limits.ts).
import type { LockoutPolicy } from '../config/limits.js';

export const QUIET_RESET_MS = 15 * 60_000;

export interface LockoutState {
  failedSignIns: number;
  /**
   * End of the lockout started by the last counted failure. Below the threshold it is the
   * time of that failure (a lockout of zero length), which dates the quiet period.
   */
  lockedUntilMs: number;
}

export const NO_FAILURES: LockoutState = { failedSignIns: 0, lockedUntilMs: 0 };

/**
 * Lockout length after the n-th consecutive failure: 0 below the threshold (Cognito: five),
 * then 1 s, 2 s, 4 s … up to the cap (Cognito: 15 min).
 */
export function lockoutMs(failures: number, policy: LockoutPolicy): number {
  if (failures < policy.failuresBeforeLockout) return 0;
  // 2^40 s exceeds any cap the configuration accepts; long attack runs need no larger powers.
  const exponent = Math.min(failures - policy.failuresBeforeLockout, 40);
  return Math.min(2 ** exponent * 1000, policy.maxLockoutMs);
}

export function isLockedOut(state: LockoutState, nowMs: number): boolean {
  return nowMs < state.lockedUntilMs;
}

/** The failures that still count at `nowMs`: none once 15 quiet minutes followed the last one. */
export function countedFailures(state: LockoutState, nowMs: number): number {
  if (state.failedSignIns > 0 && nowMs - state.lockedUntilMs >= QUIET_RESET_MS) return 0;
  return state.failedSignIns;
}

/** The state after one more wrong password at `nowMs` (callers never count attempts made during a lockout). */
export function afterFailure(state: LockoutState, nowMs: number, policy: LockoutPolicy): LockoutState {
  const failedSignIns = countedFailures(state, nowMs) + 1;
  return { failedSignIns, lockedUntilMs: nowMs + lockoutMs(failedSignIns, policy) };
}

/** True when a successful sign-in has counters to clear. */
export function needsReset(state: LockoutState): boolean {
  return state.failedSignIns !== 0 || state.lockedUntilMs !== 0;
}
