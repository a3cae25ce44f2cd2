// The defaults of the attempt limits an operator may change (TODOKU_CODE_*, TODOKU_SIGNIN_*).
// They are Cognito's values; userpool/codes.ts and userpool/lockout.ts apply the limits the
// Config carries, and take these types from here.

export interface CodeLimits {
  /** Wrong guesses a single code survives; the next guess deletes it. */
  maxAttempts: number;
  /** Guesses one user may make per USER_CODE_GUESS_WINDOW_MS (userpool/codes.ts), over all codes. */
  maxGuessesPerUser: number;
  /** Code mails one user (or unknown name) may trigger per hour. */
  maxSendsPerHour: number;
}

/** Wrong guesses a single code survives; the next wrong guess deletes it. */
export const MAX_CODE_ATTEMPTS = 5;

/**
 * Codes one user may try per window, over all codes and purposes. The per-code limit
 * alone restarts with every new code, and anyone can have a new code sent (ForgotPassword,
 * ResendConfirmationCode); this caps guessing at 80 an hour, so a day of guessing hits a
 * 6-digit code with probability about 0.2 %. An honest user needs one or two tries.
 */
export const MAX_USER_CODE_GUESSES = 20;

/**
 * Code mails one user (or one unknown name) may trigger per hour. Cognito allows
 * "between 5 and 20" reset requests an hour per user (developer guide, "Recovering user
 * accounts"); the cap stops a stranger from flooding someone's mailbox — carriers also
 * block senders that burst (../shared/CARRIERS.md).
 */
export const MAX_CODE_SENDS_PER_HOUR = 10;

export const DEFAULT_CODE_LIMITS: CodeLimits = {
  maxAttempts: MAX_CODE_ATTEMPTS,
  maxGuessesPerUser: MAX_USER_CODE_GUESSES,
  maxSendsPerHour: MAX_CODE_SENDS_PER_HOUR,
};

export interface LockoutPolicy {
  /** The failure that starts the first (1 s) lockout. */
  failuresBeforeLockout: number;
  /** Longest lockout, however many failures. */
  maxLockoutMs: number;
}

// Cognito developer guide, "Lockout behavior for failed sign-in attempts": five failures,
// then 1 s doubling up to about 15 minutes.
export const FAILURES_BEFORE_LOCKOUT = 5;
export const MAX_LOCKOUT_MS = 15 * 60_000;

export const DEFAULT_LOCKOUT_POLICY: LockoutPolicy = { failuresBeforeLockout: FAILURES_BEFORE_LOCKOUT, maxLockoutMs: MAX_LOCKOUT_MS };
