// One-time codes: 6 digits, single use, stored only as an HMAC (a 6-digit code hashed
// without a key is reversed by trying all 10^6), limited attempts, fixed lifetimes.
import { createHmac } from 'node:crypto';
import { safeEqual } from '../core/compare.js';
import type { Clock } from '../core/clock.js';
import type { Random } from '../core/random.js';
import type { Ports } from '../storage/store.js';
import type { CodePurpose, User } from './model.js';
import { CodeMismatchException, ExpiredCodeException, LimitExceededException } from './errors.js';

export const SIGN_UP_CODE_TTL_MS = 24 * 3600_000;
export const FORGOT_PASSWORD_CODE_TTL_MS = 3600_000;
export const VERIFY_ATTRIBUTE_CODE_TTL_MS = 24 * 3600_000;
/** Wrong guesses a single code survives; the next wrong guess deletes it. */
export const MAX_CODE_ATTEMPTS = 5;

export function ttlFor(purpose: CodePurpose): number {
  if (purpose === 'FORGOT_PASSWORD') return FORGOT_PASSWORD_CODE_TTL_MS;
  if (purpose === 'SIGN_UP') return SIGN_UP_CODE_TTL_MS;
  return VERIFY_ATTRIBUTE_CODE_TTL_MS;
}

export function hashCode(key: Buffer, user: User, purpose: CodePurpose, code: string): string {
  return createHmac('sha256', key).update(`${user.sub}\n${purpose}\n${code}`).digest('base64url');
}

export interface CodeDeps {
  clock: Clock;
  random: Random;
  codeKey: Buffer;
}

/** Stores a fresh code (replacing any live one) and returns it in the clear, for the mail only. */
export async function issueCode(tx: Ports, deps: CodeDeps, user: User, purpose: CodePurpose): Promise<string> {
  const code = deps.random.digits(6);
  const nowMs = deps.clock.nowMs();
  await tx.codes.putCode({
    id: deps.random.uuid(),
    poolId: user.poolId,
    userSub: user.sub,
    purpose,
    codeHash: hashCode(deps.codeKey, user, purpose, code),
    failedAttempts: 0,
    expiresAtMs: nowMs + ttlFor(purpose),
    createdAtMs: nowMs,
  });
  return code;
}

/**
 * Checks and consumes a code. Wrong → CodeMismatchException (the failure is counted in
 * its own write, which the caller must commit even though it throws: see `codeFailure`);
 * expired or absent → ExpiredCodeException; too many wrong tries → the code is gone.
 */
export type CodeCheck = { ok: true } | { ok: false; error: Error; countFailure?: string };

export async function checkCode(tx: Ports, deps: CodeDeps, user: User, purpose: CodePurpose, code: string): Promise<CodeCheck> {
  const stored = await tx.codes.findCode(user.sub, purpose);
  if (!stored) return { ok: false, error: new ExpiredCodeException('Invalid code provided, please request a code again.') };
  if (stored.expiresAtMs <= deps.clock.nowMs()) {
    await tx.codes.deleteCode(stored.id);
    return { ok: false, error: new ExpiredCodeException('Invalid code provided, please request a code again.') };
  }
  if (stored.failedAttempts >= MAX_CODE_ATTEMPTS) {
    await tx.codes.deleteCode(stored.id);
    return { ok: false, error: new LimitExceededException('Attempt limit exceeded, please try after some time.') };
  }
  if (!safeEqual(hashCode(deps.codeKey, user, purpose, code), stored.codeHash)) {
    return { ok: false, error: new CodeMismatchException('Invalid verification code provided, please try again.'), countFailure: stored.id };
  }
  await tx.codes.deleteCode(stored.id);
  return { ok: true };
}
