// One-time codes: 6 digits, single use, stored only as an HMAC (a 6-digit code hashed
// without a key is reversed by trying all 10^6), limited attempts, fixed lifetimes.
// The attempt limits are the operator's (config: TODOKU_CODE_*), read from deps.config;
// their defaults are in config/limits.ts.
import { createHmac } from 'node:crypto';
import { safeEqual } from '../core/compare.js';
import type { Clock } from '../core/clock.js';
import type { Random } from '../core/random.js';
import type { Ports } from '../ports.js';
import type { CodePurpose, User, UserPoolClient } from './model.js';
import type { LimitsPort } from './ports.js';
import type { Config } from '../config/index.js';
import {
  type CognitoError,
  CodeMismatchException,
  ExpiredCodeException,
  LimitExceededException,
  TooManyFailedAttemptsException,
} from './errors.js';
import { codeDeliveryDetails } from './code-delivery.js';

export const SIGN_UP_CODE_TTL_MS = 24 * 3600_000;
export const FORGOT_PASSWORD_CODE_TTL_MS = 3600_000;
export const VERIFY_ATTRIBUTE_CODE_TTL_MS = 24 * 3600_000;
export function ttlFor(purpose: CodePurpose): number {
  if (purpose === 'FORGOT_PASSWORD') return FORGOT_PASSWORD_CODE_TTL_MS;
  if (purpose === 'SIGN_UP') return SIGN_UP_CODE_TTL_MS;
  return VERIFY_ATTRIBUTE_CODE_TTL_MS;
}

/** VERIFY:<attribute> codes prove control of one address, so they are bound to it (see hashCode). */
function isBoundPurpose(purpose: CodePurpose): boolean {
  return purpose.startsWith('VERIFY:');
}

/**
 * The HMAC stored for a code. A VERIFY:<attribute> code is also bound to the value it was
 * mailed to (`boundTo`): checked against the value the attribute holds at verify time, a
 * code mailed to one address cannot verify another that replaced it in between — a race
 * the update actions' voiding of pending codes cannot close on its own (READ COMMITTED
 * lets the code be issued for the old address after the change committed).
 *
 * The value is bound exactly as stored, not lower-cased: RFC 5321 §2.4 leaves the local
 * part's case to the receiving host, so `Hanako@` and `hanako@` may be two mailboxes, and
 * the update actions treat any change of the stored string as a new, unverified address.
 *
 * SIGN_UP and FORGOT_PASSWORD codes are hashed as before (no bound value), so codes stored
 * before binding existed still verify. A code never contains whitespace (CODE_RULE), so the
 * bound input cannot collide with an unbound one.
 */
export function hashCode(key: Buffer, sub: string, purpose: CodePurpose, code: string, boundTo?: string): string {
  // A VERIFY code hashed without its address (or another one with one) is a bug, not a user's error.
  if (isBoundPurpose(purpose) !== (boundTo !== undefined)) throw new Error(`hashCode: ${purpose} codes ${boundTo === undefined ? 'need' : 'take no'} bound value`);
  return hmacCode(key, boundTo === undefined ? `${sub}\n${purpose}\n${code}` : `${sub}\n${purpose}\n${code}\n${boundTo}`);
}

function hmacCode(key: Buffer, input: string): string {
  return createHmac('sha256', key).update(input).digest('base64url');
}

export interface CodeDeps {
  clock: Clock;
  random: Random;
  codeKey: Buffer;
  config: Pick<Config, 'attemptLimits'>;
}

/**
 * Stores a fresh code (replacing any live one) and returns it in the clear, for the mail only.
 * VERIFY:<attribute> codes take `boundTo`, the address the mail goes to (see hashCode).
 */
export async function issueCode(
  tx: Ports,
  deps: Pick<CodeDeps, 'clock' | 'random' | 'codeKey'>,
  user: User,
  purpose: CodePurpose,
  boundTo?: string,
): Promise<string> {
  const code = deps.random.digits(6);
  const nowMs = deps.clock.nowMs();
  await tx.codes.putCode({
    id: deps.random.uuid(),
    poolId: user.poolId,
    userSub: user.sub,
    purpose,
    codeHash: hashCode(deps.codeKey, user.sub, purpose, code, boundTo),
    failedAttempts: 0,
    expiresAtMs: nowMs + ttlFor(purpose),
    createdAtMs: nowMs,
  });
  return code;
}

/** The window of CodeLimits.maxGuessesPerUser (config/limits.ts: 20 guesses, 80 an hour). */
export const USER_CODE_GUESS_WINDOW_MS = 15 * 60_000;
/** The window of CodeLimits.maxSendsPerHour. */
const CODE_SEND_WINDOW_MS = 3600_000;

function windowStart(nowMs: number, windowMs: number): number {
  return nowMs - (nowMs % windowMs);
}

export type CodeCheck = { ok: true } | { ok: false; error: CognitoError };

/**
 * Checks and consumes a code, in the caller's transaction. Wrong → CodeMismatchException;
 * expired or absent → ExpiredCodeException; past maxAttempts → the code is deleted
 * (LimitExceededException); past the user's guesses → TooManyFailedAttemptsException.
 *
 * Each guess is counted before it is compared, by writes that lock the counted row (the
 * user's guess window, then the code), so parallel guesses cannot all read the same
 * count and slip past the limits. A right guess deletes the code, so the stored count
 * only ever holds wrong ones. The outcome is returned, not thrown: the caller returns it
 * from the transaction so that the counts commit, then throws `error` after the commit.
 *
 * VERIFY:<attribute> codes take `boundTo`, the attribute's value now, read in `tx` (null
 * when the attribute is gone): a code mailed to another value answers CodeMismatchException,
 * as any code that does not match.
 */
export async function checkCode(
  tx: Ports,
  deps: Pick<CodeDeps, 'clock' | 'codeKey' | 'config'>,
  user: User,
  purpose: CodePurpose,
  code: string,
  boundTo?: string | null,
): Promise<CodeCheck> {
  const limits = deps.config.attemptLimits.code;
  const nowMs = deps.clock.nowMs();
  const guesses = await tx.limits.hit(`codeguess:${user.sub}`, windowStart(nowMs, USER_CODE_GUESS_WINDOW_MS));
  if (guesses > limits.maxGuessesPerUser) return { ok: false, error: new TooManyFailedAttemptsException('Too many failed attempts.') };
  const stored = await tx.codes.findCode(user.sub, purpose);
  if (!stored) return { ok: false, error: new ExpiredCodeException('Invalid code provided, please request a code again.') };
  if (stored.expiresAtMs <= nowMs) {
    await tx.codes.deleteCode(stored.id);
    return { ok: false, error: new ExpiredCodeException('Invalid code provided, please request a code again.') };
  }
  const attempts = await tx.codes.recordCodeFailure(stored.id);
  // No row counted: a concurrent answer used (or a new code replaced) this one after it was read.
  if (attempts === 0) return { ok: false, error: new ExpiredCodeException('Invalid code provided, please request a code again.') };
  if (attempts > limits.maxAttempts) {
    await tx.codes.deleteCode(stored.id);
    return { ok: false, error: new LimitExceededException('Attempt limit exceeded, please try after some time.') };
  }
  const bound = isBoundPurpose(purpose);
  if (bound && boundTo === undefined) throw new Error(`checkCode: ${purpose} codes need the attribute's current value`);
  const matches = boundTo !== null && safeEqual(hashCode(deps.codeKey, user.sub, purpose, code, boundTo), stored.codeHash);
  if (!matches) {
    if (bound && safeEqual(hmacCode(deps.codeKey, `${user.sub}\n${purpose}\n${code}`), stored.codeHash)) {
      // The right code, issued before VERIFY codes were bound to their address: it cannot say
      // which address it went to, so it verifies none; the user asks for a new one.
      await tx.codes.deleteCode(stored.id);
      return { ok: false, error: new ExpiredCodeException('Invalid code provided, please request a code again.') };
    }
    return { ok: false, error: new CodeMismatchException('Invalid verification code provided, please try again.') };
  }
  await tx.codes.deleteCode(stored.id);
  return { ok: true };
}

/**
 * Counts one code mail for `key` (a user's sub, or pool and name when the user is
 * unknown, so both answer alike); LimitExceededException past the hourly cap.
 */
export async function countCodeSend(
  deps: { store: { limits: LimitsPort }; clock: Clock; config: Pick<Config, 'attemptLimits'> },
  key: string,
): Promise<void> {
  const count = await deps.store.limits.hit(`codesend:${key}`, windowStart(deps.clock.nowMs(), CODE_SEND_WINDOW_MS));
  if (count > deps.config.attemptLimits.code.maxSendsPerHour) throw new LimitExceededException('Attempt limit exceeded, please try after some time.');
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
 * A missing user's code check (PreventUserExistenceErrors): the same guess count, lookup
 * and HMAC as a real one; returns the error to throw, which answers alike — CodeMismatchException, or
 * TooManyFailedAttemptsException once the name has had its guesses — in about the same
 * time. `nameKey` stands in for the sub: pool and name as the caller gave them.
 */
export async function simulateCodeCheck(tx: Ports, deps: Pick<CodeDeps, 'clock' | 'codeKey' | 'config'>, nameKey: string, purpose: CodePurpose, code: string): Promise<CognitoError> {
  const guesses = await tx.limits.hit(`codeguess:${nameKey}`, windowStart(deps.clock.nowMs(), USER_CODE_GUESS_WINDOW_MS));
  if (guesses > deps.config.attemptLimits.code.maxGuessesPerUser) return new TooManyFailedAttemptsException('Too many failed attempts.');
  await tx.codes.findCode(nameKey, purpose);
  hashCode(deps.codeKey, nameKey, purpose, code);
  return new CodeMismatchException('Invalid verification code provided, please try again.');
}
