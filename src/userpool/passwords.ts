// argon2id with OWASP's parameters (m=19456 KiB, t=2, p=1). @node-rs/argon2 hashes on
// libuv's thread pool, so the event loop keeps serving while a hash runs.
import { randomBytes } from 'node:crypto';
import { hash, verify, Algorithm } from '@node-rs/argon2';
import type { PasswordPolicy } from './model.js';
import { InvalidPasswordException } from './errors.js';

export const ARGON2_OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

export const argon2Hasher: PasswordHasher = {
  hash: (password) => hash(password, ARGON2_OPTIONS),
  verify: async (stored, password) => {
    try {
      return await verify(stored, password);
    } catch {
      return false;
    }
  },
};

/**
 * A hash of a password nobody knows, verified when a user does not exist so that a
 * missing user costs the same time as a wrong password (PreventUserExistenceErrors).
 */
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(hasher: PasswordHasher): Promise<string> {
  decoyHash ??= hasher.hash(randomBytes(24).toString('base64'));
  return decoyHash;
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  MinimumLength: 8,
  RequireUppercase: true,
  RequireLowercase: true,
  RequireNumbers: true,
  RequireSymbols: true,
  TemporaryPasswordValidityDays: 7,
};

// Cognito's accepted special characters.
const SYMBOLS = `^$*.[]{}()?"!@#%&/\\,><':;|_~\`=+- `;

/** Throws InvalidPasswordException with Cognito's wording for the first rule broken. */
export function checkPasswordPolicy(password: string, policy: PasswordPolicy): void {
  if (password.length < policy.MinimumLength) {
    throw new InvalidPasswordException('Password did not conform with policy: Password not long enough');
  }
  if (policy.RequireLowercase && !/[a-z]/.test(password)) {
    throw new InvalidPasswordException('Password did not conform with policy: Password must have lowercase characters');
  }
  if (policy.RequireUppercase && !/[A-Z]/.test(password)) {
    throw new InvalidPasswordException('Password did not conform with policy: Password must have uppercase characters');
  }
  if (policy.RequireNumbers && !/[0-9]/.test(password)) {
    throw new InvalidPasswordException('Password did not conform with policy: Password must have numeric characters');
  }
  if (policy.RequireSymbols && ![...password].some((c) => SYMBOLS.includes(c))) {
    throw new InvalidPasswordException('Password did not conform with policy: Password must have symbol characters');
  }
  if (/^\s|\s$/.test(password)) {
    throw new InvalidPasswordException('Password did not conform with policy: Password must not begin or end with a space');
  }
}
