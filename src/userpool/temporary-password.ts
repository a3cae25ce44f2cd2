// Temporary passwords of AdminCreateUser: generated to meet the pool's policy when the
// operator gives none, and valid for the pool's TemporaryPasswordValidityDays — after
// that "an administrator must reset their password" (Cognito's PasswordPolicyType), by
// AdminCreateUser with MessageAction RESEND or AdminSetUserPassword.
import type { Random } from '../core/random.js';
import type { PasswordPolicy, User, UserPool } from './model.js';

const DAY_MS = 24 * 3600_000;
/** Cognito's default when the pool sets none. */
export const DEFAULT_TEMPORARY_PASSWORD_VALIDITY_DAYS = 7;

/**
 * When the user's temporary password stops working, or undefined when the user has no
 * temporary password (any status other than FORCE_CHANGE_PASSWORD). Users made before the
 * issue time was recorded count from their creation.
 */
export function temporaryPasswordExpiresAtMs(user: User, pool: UserPool): number | undefined {
  if (user.status !== 'FORCE_CHANGE_PASSWORD') return undefined;
  const days = pool.settings.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays ?? DEFAULT_TEMPORARY_PASSWORD_VALIDITY_DAYS;
  const issuedAtMs = user.temporaryPasswordIssuedAtMs ?? user.createdAtMs;
  return issuedAtMs + days * DAY_MS;
}

/** What Cognito answers (NotAuthorizedException) when a user signs in with an expired temporary password. */
export const TEMPORARY_PASSWORD_EXPIRED_MESSAGE = 'Temporary password has expired and must be reset by an administrator.';

/** True when sign-in must refuse the user's temporary password because it is too old. */
export function isTemporaryPasswordExpired(user: User, pool: UserPool, nowMs: number): boolean {
  const expiresAtMs = temporaryPasswordExpiresAtMs(user, pool);
  return expiresAtMs !== undefined && nowMs >= expiresAtMs;
}

const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
// Cognito symbols that survive being read aloud, typed on a phone and pasted from mail:
// no quotes, brackets, backslash or space.
const SYMBOLS = '!#$%&*+-=?@^_~';
const GENERATED_MIN_LENGTH = 12;

/**
 * A password meeting `policy`: at least 12 characters (or the policy's minimum), with
 * one character of every class the policy requires, in random positions.
 */
export function generateTemporaryPassword(policy: PasswordPolicy, random: Random): string {
  const length = Math.max(policy.MinimumLength, GENERATED_MIN_LENGTH);
  // Always draw from every class: a pool may tighten its policy later, and mixed
  // classes cost nothing here.
  const chars = [random.pick(LOWER, 1), random.pick(UPPER, 1), random.pick(DIGITS, 1), random.pick(SYMBOLS, 1)];
  const all = LOWER + UPPER + DIGITS + SYMBOLS;
  chars.push(...random.pick(all, length - chars.length));
  // Fisher–Yates with the injected randomness, so the required classes are not always first.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomBelow(random, i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

/** Uniform integer in [0, n) from the injected randomness (n ≤ 256, rejection sampling). */
function randomBelow(random: Random, n: number): number {
  const limit = 256 - (256 % n);
  for (;;) {
    const byte = random.bytes(1)[0]!;
    if (byte < limit) return byte % n;
  }
}
