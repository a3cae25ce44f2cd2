// The keys a user is found and kept unique by: the username key (case-folded unless the
// pool is case-sensitive, or the email in email-username pools) and the email key.
import type { Attributes, UserPool } from './model.js';
import { emailKey } from './email.js';

export function isEmailUsernamePool(pool: UserPool): boolean {
  return pool.settings.UsernameAttributes?.includes('email') ?? false;
}

export function isEmailAliasPool(pool: UserPool): boolean {
  return pool.settings.AliasAttributes?.includes('email') ?? false;
}

/** Usernames are case-insensitive unless the pool says otherwise (Cognito's default since 2020). */
export function usernameKey(pool: UserPool, username: string): string {
  // An absent UsernameConfiguration is a pool stored before CaseSensitive was always written,
  // when the default was insensitive (pool-settings.ts): it keeps folding case.
  return pool.settings.UsernameConfiguration?.CaseSensitive === true ? username : username.toLowerCase();
}

/** `email_key` a user should have: the lower-cased email when the pool signs in with email. */
export function emailKeyFor(pool: UserPool, attributes: Attributes): string | null {
  if (!isEmailUsernamePool(pool) && !isEmailAliasPool(pool)) return null;
  return attributes.email !== undefined ? emailKey(attributes.email) : null;
}

/**
 * The keys a user is found and kept unique by. In a pool whose users sign in with their
 * email, the sign-in name *is* the email: `usernameKey` holds the lower-cased address, so
 * the database's unique (pool, username_key) index keeps two accounts from sharing one
 * address even when two sign-ups race on PostgreSQL, and a sign-in finds the user in one
 * lookup. The stored username stays the sub, as in Cognito.
 */
export function userKeys(pool: UserPool, storedUsername: string, attributes: Attributes): { usernameKey: string; emailKey: string | null } {
  const email = emailKeyFor(pool, attributes);
  return {
    usernameKey: isEmailUsernamePool(pool) && email !== null ? email : usernameKey(pool, storedUsername),
    emailKey: email,
  };
}
