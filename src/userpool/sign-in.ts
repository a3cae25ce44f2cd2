// Password sign-in shared by InitiateAuth (USER_PASSWORD_AUTH) and AdminInitiateAuth
// (ADMIN_USER_PASSWORD_AUTH, ADMIN_NO_SRP_AUTH), refresh-token sign-in, and the input
// checks both operations share. NEW_PASSWORD_REQUIRED is in new-password-challenge.ts.
//
// argon2 runs outside every transaction; a wrong password is counted in its own small
// write (lockout.ts), and a successful sign-in writes its session in one transaction.
import { safeEqual } from '../core/compare.js';
import type { User, UserPool, UserPoolClient } from './model.js';
import type { Config } from '../config/index.js';
import { requireLiveSession } from './sessions.js';
import {
  InvalidParameterException,
  NotAuthorizedException,
  PasswordResetRequiredException,
  UserNotConfirmedException,
  UserNotFoundException,
} from './errors.js';
import { checkSecretHash, computeSecretHash } from './secret-hash.js';
import { clientAllowsFlow } from './client-settings.js';
import { findUser } from './lookups.js';
import { decoyPasswordHash } from './passwords.js';
import { NO_FAILURES, afterFailure, isLockedOut, needsReset } from './lockout.js';
import { isTemporaryPasswordExpired } from './temporary-password.js';
import { failEnum, optionalObject, requireString, type Input } from './validate.js';
import {
  authenticationResult,
  issueTokens,
  startSession,
  tokensOutcome,
  type AuthenticationResult,
  type AuthOutcome,
  type RefreshDeps,
  type SignInDeps,
} from './auth-result.js';
import { newPasswordChallenge } from './new-password-challenge.js';

export type { AuthOutcome, RefreshDeps, SignInDeps } from './auth-result.js';

const INCORRECT = 'Incorrect username or password.';

// --- flows a client allows ---------------------------------------------------------

/** ExplicitAuthFlows values (current ALLOW_* and legacy) that enable each AuthFlow. */
const FLOW_GRANTS: Record<string, string[]> = {
  USER_PASSWORD_AUTH: ['ALLOW_USER_PASSWORD_AUTH', 'USER_PASSWORD_AUTH'],
  ADMIN_USER_PASSWORD_AUTH: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH'],
  ADMIN_NO_SRP_AUTH: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH'],
  REFRESH_TOKEN_AUTH: ['ALLOW_REFRESH_TOKEN_AUTH'],
  REFRESH_TOKEN: ['ALLOW_REFRESH_TOKEN_AUTH'],
};

/** Throws Cognito's InvalidParameterException when the client does not enable `authFlow`. */
export function requireFlowEnabled(client: UserPoolClient, authFlow: string): void {
  const grants = FLOW_GRANTS[authFlow] ?? [];
  const flows = client.settings.ExplicitAuthFlows ?? [];
  // Clients configured only with legacy values predate ALLOW_REFRESH_TOKEN_AUTH and
  // always allowed refreshing.
  const legacyOnly = flows.length > 0 && !flows.some((f) => f.startsWith('ALLOW_'));
  if (grants.includes('ALLOW_REFRESH_TOKEN_AUTH') && legacyOnly) return;
  if (grants.some((g) => clientAllowsFlow(client.settings, g))) return;
  throw new InvalidParameterException(`${authFlow} flow not enabled for this client`);
}

// --- password sign-in --------------------------------------------------------------

export interface PasswordSignIn {
  pool: UserPool;
  client: UserPoolClient;
  username: string;
  password: string;
  secretHash: string | undefined;
}

export async function signInWithPassword(deps: SignInDeps, req: PasswordSignIn): Promise<AuthOutcome> {
  const { pool, client, username, password } = req;
  const user = await findUser(deps.store, pool, username);
  checkSecretHash(client, req.secretHash, username, user?.username, user?.sub);

  if (!user) {
    // Same work and the same answer as a wrong password when the client hides which users exist.
    await deps.passwords.verify(await decoyPasswordHash(deps.passwords), password);
    if (client.settings.PreventUserExistenceErrors === 'ENABLED') throw new NotAuthorizedException(INCORRECT);
    throw new UserNotFoundException('User does not exist.');
  }
  const lockedOut = isLockedOut(user, deps.clock.nowMs());
  if (lockedOut || user.status === 'RESET_REQUIRED') {
    // These answers come without checking the password, but not faster than one: the
    // same argon2 time as every other answer, so timing adds nothing to what they say.
    await decoyFail(deps, password);
    if (lockedOut) throw new NotAuthorizedException('Password attempts exceeded');
    // AdminResetUserPassword invalidated the password: no password opens this account.
    throw new PasswordResetRequiredException('Password reset required for the user');
  }

  const ok = user.passwordHash !== null ? await deps.passwords.verify(user.passwordHash, password) : await decoyFail(deps, password);
  if (!ok) {
    await recordFailedPassword(deps, user.sub, pool.id);
    throw new NotAuthorizedException(INCORRECT);
  }
  // Only now, with the right password, does the account's state show.
  if (!user.enabled) throw new NotAuthorizedException('User is disabled.');
  if (user.status === 'UNCONFIRMED') throw new UserNotConfirmedException('User is not confirmed.');
  if (user.status === 'FORCE_CHANGE_PASSWORD') {
    if (isTemporaryPasswordExpired(user, pool, deps.clock.nowMs())) {
      throw new NotAuthorizedException('Temporary password has expired and must be reset by an administrator.');
    }
    if (needsReset(user)) await deps.store.users.updateUser(user.sub, NO_FAILURES);
    return newPasswordChallenge(deps, pool, client, user);
  }
  if (user.status !== 'CONFIRMED') throw new NotAuthorizedException(INCORRECT);

  // One statement needs no transaction: most sign-ins only insert their session (a
  // transaction around it would add BEGIN and COMMIT, and Kysely's connection handling, to
  // every sign-in); clearing earlier failures goes in one transaction with it.
  const { session, refreshToken } = needsReset(user)
    ? await deps.store.transaction(async (tx) => {
        await tx.users.updateUser(user.sub, NO_FAILURES);
        return startSession(deps, tx, client, user);
      })
    : await startSession(deps, deps.store, client, user);
  return tokensOutcome(await issueTokens(deps, pool, client, user, session), refreshToken);
}

async function decoyFail(deps: Pick<SignInDeps, 'passwords'>, password: string): Promise<false> {
  await deps.passwords.verify(await decoyPasswordHash(deps.passwords), password);
  return false;
}

/**
 * Counts one wrong password: a compare-and-set on the row's counters, retried when
 * another attempt changed them first, so racing wrong guesses are all counted; one that
 * lost to a lockout already set is not (attempts during a lockout do not count).
 */
export async function recordFailedPassword(deps: Pick<SignInDeps, 'store' | 'clock'> & { config: Pick<Config, 'attemptLimits'> }, sub: string, poolId: string): Promise<void> {
  const policy = deps.config.attemptLimits.signIn;
  for (let attempt = 0; attempt < 10; attempt++) {
    const fresh = await deps.store.users.findUserBySub(poolId, sub);
    if (!fresh) return;
    const nowMs = deps.clock.nowMs();
    if (isLockedOut(fresh, nowMs)) return;
    const expected = { failedSignIns: fresh.failedSignIns, lockedUntilMs: fresh.lockedUntilMs };
    if (await deps.store.users.setSignInFailures(sub, expected, afterFailure(fresh, nowMs, policy))) return;
  }
}
// --- refresh -----------------------------------------------------------------------

export interface RefreshSignIn {
  pool: UserPool;
  client: UserPoolClient;
  refreshToken: string;
  /** Checks the caller's client proof once the token's user is known. */
  checkClientProof(user: User): void;
}

/** New ID and access tokens for a live refresh token; the refresh token itself is kept (no rotation). */
export async function refreshSession(deps: RefreshDeps, req: RefreshSignIn): Promise<AuthenticationResult> {
  const { pool, client } = req;
  const session = await requireLiveSession(deps.store, client, req.refreshToken, deps.clock.nowMs());
  const user = await deps.store.users.findUserBySub(pool.id, session.userSub);
  if (!user) throw new NotAuthorizedException('User does not exist.');
  req.checkClientProof(user);
  if (!user.enabled) throw new NotAuthorizedException('User is disabled.');
  return authenticationResult(await issueTokens(deps, pool, client, user, session));
}

/**
 * SECRET_HASH of a refresh: Cognito computes it over the user the token belongs to, which
 * the caller knows by its username or (email-username pools) its sub.
 */
export function checkRefreshSecretHash(client: UserPoolClient, secretHash: string | undefined, user: User): void {
  if (client.secret === null) return;
  if (secretHash === undefined) checkSecretHash(client, secretHash);
  const ok = [user.username, user.sub].some((u) => safeEqual(computeSecretHash(client.secret!, u, client.id), secretHash!));
  if (!ok) throw new NotAuthorizedException(`SecretHash does not match for the client: ${client.id}`);
}

/** ClientSecret of GetTokensFromRefreshToken and RevokeToken: the secret itself, compared in constant time. */
export function clientSecretMatches(client: UserPoolClient, clientSecret: string | undefined): boolean {
  if (client.secret === null) return true;
  return clientSecret !== undefined && safeEqual(client.secret, clientSecret);
}
// --- AuthFlow and AuthParameters input ---------------------------------------------

/** AuthFlowType: the AuthFlow values InitiateAuth and AdminInitiateAuth take (not ExplicitAuthFlows, see client-settings.ts). */
export const AUTH_FLOW_TYPES = [
  'USER_SRP_AUTH',
  'REFRESH_TOKEN_AUTH',
  'REFRESH_TOKEN',
  'CUSTOM_AUTH',
  'ADMIN_NO_SRP_AUTH',
  'USER_PASSWORD_AUTH',
  'ADMIN_USER_PASSWORD_AUTH',
  'USER_AUTH',
] as const;

/** Reads a field holding one of `values`, with AWS's enum validation wording. */
export function requireEnum<T extends string>(input: Input, field: string, values: readonly T[]): T {
  const value = requireString(input, field);
  if (!(values as readonly string[]).includes(value)) failEnum(field, value, values);
  return value as T;
}

/** A map of string to string (AuthParameters, ChallengeResponses); absent → empty. */
export function stringMap(input: Input, field: string): Record<string, string> {
  const value = optionalObject(input, field) ?? {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new InvalidParameterException(`${field}.${k} must be a string`);
    out[k] = v;
  }
  return out;
}

export function requireParameter(params: Record<string, string>, name: string): string {
  const value = params[name];
  if (value === undefined || value === '') throw new InvalidParameterException(`Missing required parameter ${name}`);
  return value;
}

/** REFRESH_TOKEN_AUTH / REFRESH_TOKEN with AuthParameters REFRESH_TOKEN and SECRET_HASH. */
export async function refreshWithAuthParameters(deps: RefreshDeps, pool: UserPool, client: UserPoolClient, params: Record<string, string>): Promise<AuthOutcome> {
  const refreshToken = requireParameter(params, 'REFRESH_TOKEN');
  const result = await refreshSession(deps, {
    pool,
    client,
    refreshToken,
    checkClientProof: (user) => checkRefreshSecretHash(client, params.SECRET_HASH, user),
  });
  return { ChallengeParameters: {}, AuthenticationResult: result };
}

/** USER_PASSWORD_AUTH / ADMIN_USER_PASSWORD_AUTH / ADMIN_NO_SRP_AUTH with USERNAME, PASSWORD, SECRET_HASH. */
export function passwordWithAuthParameters(deps: SignInDeps, pool: UserPool, client: UserPoolClient, params: Record<string, string>): Promise<AuthOutcome> {
  const username = requireParameter(params, 'USERNAME');
  const password = requireParameter(params, 'PASSWORD');
  return signInWithPassword(deps, { pool, client, username, password, secretHash: params.SECRET_HASH });
}
