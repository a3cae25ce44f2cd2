// One-time codes: 6 digits, single use, stored only as an HMAC (a 6-digit code hashed
// without a key is reversed by trying all 10^6), limited attempts, fixed lifetimes.
import { createHmac } from 'node:crypto';
import { safeEqual } from '../core/compare.js';
import type { Clock } from '../core/clock.js';
import type { Random } from '../core/random.js';
import type { Ports } from '../storage/store.js';
import type { CodePurpose, User, UserPoolClient } from './model.js';
import type { LimitsPort } from './ports.js';
import {
  CodeMismatchException,
  ExpiredCodeException,
  LimitExceededException,
  TooManyFailedAttemptsException,
} from './errors.js';
import { codeDeliveryDetails } from './common.js';

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

export function hashCode(key: Buffer, sub: string, purpose: CodePurpose, code: string): string {
  return createHmac('sha256', key).update(`${sub}\n${purpose}\n${code}`).digest('base64url');
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
    codeHash: hashCode(deps.codeKey, user.sub, purpose, code),
    failedAttempts: 0,
    expiresAtMs: nowMs + ttlFor(purpose),
    createdAtMs: nowMs,
  });
  return code;
}

/**
 * Checks and consumes a code. Wrong → CodeMismatchException (the failure is counted in
 * its own write after the transaction, see `failCodeCheck`);
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
  if (!safeEqual(hashCode(deps.codeKey, user.sub, purpose, code), stored.codeHash)) {
    return { ok: false, error: new CodeMismatchException('Invalid verification code provided, please try again.'), countFailure: stored.id };
  }
  await tx.codes.deleteCode(stored.id);
  return { ok: true };
}

/**
 * Wrong codes one user may enter per window, over all codes and purposes. The per-code
 * limit alone restarts with every new code, and anyone can have a new code sent
 * (ForgotPassword, ResendConfirmationCode); this caps guessing at 80 an hour, so a day
 * of guessing hits a 6-digit code with probability about 0.2 %.
 */
export const MAX_USER_CODE_FAILURES = 20;
export const USER_CODE_FAILURE_WINDOW_MS = 15 * 60_000;

/**
 * Code mails one user (or one unknown name) may trigger per hour. Cognito allows
 * "between 5 and 20" reset requests an hour per user (developer guide, "Recovering user
 * accounts"); the cap stops a stranger from flooding someone's mailbox — carriers also
 * block senders that burst (../shared/CARRIERS.md).
 */
export const MAX_CODE_SENDS_PER_HOUR = 10;
const CODE_SEND_WINDOW_MS = 3600_000;

function windowStart(nowMs: number, windowMs: number): number {
  return nowMs - (nowMs % windowMs);
}

function failureKey(sub: string): string {
  return `codefail:${sub}`;
}

/** Refuses before any code is compared once the user has used up this window's guesses. */
export async function assertCodeGuessesLeft(limits: LimitsPort, clock: Clock, sub: string): Promise<void> {
  const count = await limits.count(failureKey(sub), windowStart(clock.nowMs(), USER_CODE_FAILURE_WINDOW_MS));
  if (count >= MAX_USER_CODE_FAILURES) throw new TooManyFailedAttemptsException('Too many failed attempts.');
}

/**
 * Commits what a failed check must leave behind — the code's failure count and the
 * user's — and throws the check's error. Call it after the transaction that ran
 * `checkCode` has committed (its deletions of expired or used-up codes must stick too).
 */
export async function failCodeCheck(
  ports: Pick<Ports, 'codes' | 'limits'>,
  clock: Clock,
  sub: string,
  check: Extract<CodeCheck, { ok: false }>,
): Promise<never> {
  if (check.countFailure !== undefined) {
    await ports.codes.recordCodeFailure(check.countFailure);
    await ports.limits.hit(failureKey(sub), windowStart(clock.nowMs(), USER_CODE_FAILURE_WINDOW_MS));
  }
  throw check.error;
}

/**
 * Counts one code mail for `key` (a user's sub, or pool and name when the user is
 * unknown, so both answer alike); LimitExceededException past the hourly cap.
 */
export async function countCodeSend(limits: LimitsPort, clock: Clock, key: string): Promise<void> {
  const count = await limits.hit(`codesend:${key}`, windowStart(clock.nowMs(), CODE_SEND_WINDOW_MS));
  if (count > MAX_CODE_SENDS_PER_HOUR) throw new LimitExceededException('Attempt limit exceeded, please try after some time.');
}

/** PreventUserExistenceErrors=ENABLED: unknown users get answers shaped like known ones. */
export function hidesUserExistence(client: UserPoolClient): boolean {
  return client.settings.PreventUserExistenceErrors === 'ENABLED';
}

/**
 * CodeDeliveryDetails for a user that does not exist (or may not be told apart), as
 * Cognito's "simulated delivery medium": a name that is an address is masked as given;
 * any other name gets a destination derived from it with the code key, so asking twice
 * gives the same answer, as it would for a real user.
 */
export function simulatedCodeDeliveryDetails(key: Buffer, poolId: string, username: string): ReturnType<typeof codeDeliveryDetails> {
  if (username.includes('@')) return codeDeliveryDetails(username);
  const digest = createHmac('sha256', key).update(`simulated-destination\n${poolId}\n${username}`).digest();
  const letter = (byte: number) => String.fromCharCode(97 + (byte % 26));
  return codeDeliveryDetails(`${letter(digest[0]!)}@${letter(digest[1]!)}`);
}

/**
 * The work a missing user's code check does so that it takes about as long as a real
 * one: one code lookup and the same HMAC.
 */
export async function simulateCodeCheck(ports: Pick<Ports, 'codes'>, deps: CodeDeps, purpose: CodePurpose, code: string): Promise<void> {
  const sub = deps.random.uuid();
  await ports.codes.findCode(sub, purpose);
  hashCode(deps.codeKey, sub, purpose, code);
}
