// Password sign-in shared by InitiateAuth (USER_PASSWORD_AUTH) and AdminInitiateAuth
// (ADMIN_USER_PASSWORD_AUTH, ADMIN_NO_SRP_AUTH), the NEW_PASSWORD_REQUIRED challenge of
// both RespondToAuthChallenge operations, and refresh-token sign-in.
//
// argon2 runs outside every transaction; a wrong password is counted in its own small
// write (lockout.ts), and a successful sign-in writes its session in one transaction.
import { createHash } from 'node:crypto';
import { deriveKey, seal, unseal } from '../core/seal.js';
import type { Ports } from '../storage/store.js';
import type { Deps } from './actions/types.js';
import type { Attributes, Session, User, UserPool, UserPoolClient } from './model.js';
import type { IssuedTokens } from '../tokens/service.js';
import { newSession, requireLiveSession } from '../tokens/refresh.js';
import {
  AliasExistsException,
  InvalidParameterException,
  NotAuthorizedException,
  PasswordResetRequiredException,
  UserNotConfirmedException,
  UserNotFoundException,
} from './errors.js';
import { checkAttributes, checkSecretHash, clientAllowsFlow, computeSecretHash, emailKeyFor, findUser, isEmailUsernamePool } from './common.js';
import { checkPasswordPolicy, decoyPasswordHash } from './passwords.js';
import { NO_FAILURES, afterFailure, isLockedOut, needsReset } from './lockout.js';
import { isTemporaryPasswordExpired } from './temporary-password.js';
import { emailKey } from './email.js';
import { safeEqual } from '../core/compare.js';
import { optionalObject, requireString, type AttributeInput, type Input, type StringRule } from './validate.js';

export type SignInDeps = Pick<Deps, 'store' | 'clock' | 'random' | 'passwords' | 'tokens' | 'codeKey'>;

export interface AuthenticationResult {
  AccessToken: string;
  ExpiresIn: number;
  TokenType: 'Bearer';
  IdToken: string;
  RefreshToken?: string;
}

/** InitiateAuth / RespondToAuthChallenge response: tokens, or the next challenge. */
export type AuthOutcome =
  | { ChallengeParameters: Record<string, never>; AuthenticationResult: AuthenticationResult }
  | { ChallengeName: 'NEW_PASSWORD_REQUIRED'; Session: string; ChallengeParameters: Record<string, string> };

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
  if (isLockedOut(user, deps.clock.nowMs())) throw new NotAuthorizedException('Password attempts exceeded');
  // AdminResetUserPassword invalidated the password: no password opens this account.
  if (user.status === 'RESET_REQUIRED') throw new PasswordResetRequiredException('Password reset required for the user');

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

  const { session, refreshToken } = await deps.store.transaction(async (tx) => {
    if (needsReset(user)) await tx.users.updateUser(user.sub, NO_FAILURES);
    return startSession(deps, tx, client, user);
  });
  return tokensOutcome(await issueTokens(deps, pool, client, user, session), refreshToken);
}

async function decoyFail(deps: SignInDeps, password: string): Promise<false> {
  await deps.passwords.verify(await decoyPasswordHash(deps.passwords), password);
  return false;
}

/**
 * Counts one wrong password: a compare-and-set on the row's counters, retried when
 * another attempt changed them first, so racing wrong guesses are all counted; one that
 * lost to a lockout already set is not (attempts during a lockout do not count).
 */
export async function recordFailedPassword(deps: Pick<SignInDeps, 'store' | 'clock'>, sub: string, poolId: string): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const fresh = await deps.store.users.findUserBySub(poolId, sub);
    if (!fresh) return;
    const nowMs = deps.clock.nowMs();
    if (isLockedOut(fresh, nowMs)) return;
    const expected = { failedSignIns: fresh.failedSignIns, lockedUntilMs: fresh.lockedUntilMs };
    if (await deps.store.users.setSignInFailures(sub, expected, afterFailure(fresh, nowMs))) return;
  }
}

// --- sessions and tokens -----------------------------------------------------------

/** Stores the session of a sign-in that succeeded; returns it with its refresh token. */
export async function startSession(deps: Pick<SignInDeps, 'clock' | 'random'>, tx: Ports, client: UserPoolClient, user: User) {
  const created = newSession(deps, client, user);
  await tx.sessions.createSession(created.session);
  return created;
}

export async function issueTokens(deps: SignInDeps, pool: UserPool, client: UserPoolClient, user: User, session: Session): Promise<IssuedTokens> {
  const attributes = await deps.store.users.getAttributes(user.sub);
  return deps.tokens.issue({ pool, client, user, attributes, session, nowMs: deps.clock.nowMs() });
}

export function authenticationResult(tokens: IssuedTokens, refreshToken?: string): AuthenticationResult {
  return {
    AccessToken: tokens.AccessToken,
    ExpiresIn: tokens.ExpiresIn,
    TokenType: tokens.TokenType,
    ...(refreshToken !== undefined ? { RefreshToken: refreshToken } : {}),
    IdToken: tokens.IdToken,
  };
}

function tokensOutcome(tokens: IssuedTokens, refreshToken?: string): AuthOutcome {
  return { ChallengeParameters: {}, AuthenticationResult: authenticationResult(tokens, refreshToken) };
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
export async function refreshSession(deps: SignInDeps, req: RefreshSignIn): Promise<AuthenticationResult> {
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

// --- NEW_PASSWORD_REQUIRED ---------------------------------------------------------

interface ChallengeSession {
  v: 1;
  pool: string;
  client: string;
  sub: string;
  challenge: 'NEW_PASSWORD_REQUIRED';
  /** Fingerprint of the password hash: a new temporary password voids older sessions. */
  pw: string;
  exp: number;
}

function sessionKey(deps: Pick<SignInDeps, 'codeKey'>): Buffer {
  return deriveKey(deps.codeKey, 'auth-challenge-session');
}

function passwordFingerprint(user: User): string {
  return createHash('sha256').update(user.passwordHash ?? '').digest('base64url').slice(0, 22);
}

/** Cognito's AuthSessionValidity: 3 minutes unless the client sets 3–15. */
function sessionValidityMs(client: UserPoolClient): number {
  return (client.settings.AuthSessionValidity ?? 3) * 60_000;
}

/** Required attributes of the pool's schema that the user does not have yet. */
function missingRequiredAttributes(pool: UserPool, attributes: Attributes): string[] {
  return (pool.settings.Schema ?? []).filter((s) => s.Required === true && attributes[s.Name] === undefined).map((s) => s.Name);
}

async function newPasswordChallenge(deps: SignInDeps, pool: UserPool, client: UserPoolClient, user: User): Promise<AuthOutcome> {
  const attributes = await deps.store.users.getAttributes(user.sub);
  const claims: ChallengeSession = {
    v: 1,
    pool: pool.id,
    client: client.id,
    sub: user.sub,
    challenge: 'NEW_PASSWORD_REQUIRED',
    pw: passwordFingerprint(user),
    exp: deps.clock.nowMs() + sessionValidityMs(client),
  };
  const shown: Attributes = {};
  for (const [name, value] of Object.entries(attributes)) if (name !== 'sub') shown[name] = value;
  return {
    ChallengeName: 'NEW_PASSWORD_REQUIRED',
    // Encrypted, so the Session is as opaque to the caller as Cognito's.
    Session: seal(sessionKey(deps), JSON.stringify(claims)),
    ChallengeParameters: {
      USER_ID_FOR_SRP: user.username,
      requiredAttributes: JSON.stringify(missingRequiredAttributes(pool, attributes).map((n) => `userAttributes.${n}`)),
      userAttributes: JSON.stringify(shown),
    },
  };
}

function openChallengeSession(deps: SignInDeps, session: string): ChallengeSession {
  const invalid = () => new NotAuthorizedException('Invalid session for the user.');
  let claims: ChallengeSession;
  try {
    claims = JSON.parse(unseal(sessionKey(deps), session)) as ChallengeSession;
  } catch {
    throw invalid();
  }
  if (claims.v !== 1) throw invalid();
  if (claims.exp <= deps.clock.nowMs()) throw new NotAuthorizedException('Invalid session for the user, session is expired.');
  return claims;
}

export interface NewPasswordResponse {
  pool: UserPool;
  client: UserPoolClient;
  session: string;
  responses: Record<string, string>;
}

/** Answers NEW_PASSWORD_REQUIRED: sets the permanent password (and any attributes given), confirms, signs in. */
export async function completeNewPassword(deps: SignInDeps, req: NewPasswordResponse): Promise<AuthOutcome> {
  const { pool, client, responses } = req;
  const claims = openChallengeSession(deps, req.session);
  const invalid = () => new NotAuthorizedException('Invalid session for the user.');
  if (claims.pool !== pool.id || claims.client !== client.id || claims.challenge !== 'NEW_PASSWORD_REQUIRED') throw invalid();

  const username = responses.USERNAME;
  if (username === undefined || username === '') throw new InvalidParameterException('Missing required parameter USERNAME');
  const newPassword = responses.NEW_PASSWORD;
  if (newPassword === undefined || newPassword === '') throw new InvalidParameterException('Missing required parameter NEW_PASSWORD');

  const user = await deps.store.users.findUserBySub(pool.id, claims.sub);
  if (!user) throw invalid();
  if (username !== user.username && username !== user.sub && (await findUser(deps.store, pool, username))?.sub !== user.sub) throw invalid();
  checkSecretHash(client, responses.SECRET_HASH, username, user.username, user.sub);
  if (user.status !== 'FORCE_CHANGE_PASSWORD' || !safeEqual(passwordFingerprint(user), claims.pw)) throw invalid();
  if (!user.enabled) throw new NotAuthorizedException('User is disabled.');

  const given: AttributeInput[] = [];
  for (const [key, value] of Object.entries(responses)) {
    if (key.startsWith('userAttributes.')) given.push({ Name: key.slice('userAttributes.'.length), Value: value });
  }
  const current = await deps.store.users.getAttributes(user.sub);
  const changes = checkAttributes(pool, given, 'ChallengeResponses', false);
  const emailChanged = changes.email !== undefined && emailKey(changes.email) !== emailKey(current.email ?? '');
  if (changes.email !== undefined && !emailChanged) delete changes.email;
  if (emailChanged) changes.email_verified = 'false';
  const missing = missingRequiredAttributes(pool, { ...current, ...changes });
  if (missing.length > 0) throw new InvalidParameterException(`Invalid attributes given, ${missing[0]} is missing`);
  checkPasswordPolicy(newPassword, pool.settings.Policies.PasswordPolicy);

  const passwordHash = await deps.passwords.hash(newPassword);
  const nowMs = deps.clock.nowMs();
  const { session, refreshToken, signedIn } = await deps.store.transaction(async (tx) => {
    const fresh = await tx.users.findUserBySub(pool.id, user.sub);
    // Another answer to the same challenge, or an operator reset, won the race.
    if (!fresh || fresh.status !== 'FORCE_CHANGE_PASSWORD' || fresh.passwordHash !== user.passwordHash) throw invalid();
    const patch: Parameters<Ports['users']['updateUser']>[1] = { passwordHash, status: 'CONFIRMED', temporaryPasswordIssuedAtMs: null, ...NO_FAILURES, updatedAtMs: nowMs };
    if (emailChanged) {
      const key = emailKeyFor(pool, { email: changes.email! });
      if (isEmailUsernamePool(pool) && key !== null && (await tx.users.findUsersByEmail(pool.id, key)).some((u) => u.sub !== user.sub)) {
        throw new AliasExistsException('An account with the given email already exists.');
      }
      patch.emailKey = key;
    }
    await tx.users.updateUser(user.sub, patch);
    if (Object.keys(changes).length > 0) await tx.users.setAttributes(pool.id, user.sub, changes);
    const started = await startSession(deps, tx, client, user);
    return { ...started, signedIn: { ...fresh, ...patch } as User };
  });
  return tokensOutcome(await issueTokens(deps, pool, client, signedIn, session), refreshToken);
}

// --- AuthFlow and AuthParameters input ---------------------------------------------

export const AUTH_FLOWS = [
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
  if (!(values as readonly string[]).includes(value)) {
    throw new InvalidParameterException(
      `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must satisfy enum value set: [${values.join(', ')}]`,
    );
  }
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
export async function refreshWithAuthParameters(deps: SignInDeps, pool: UserPool, client: UserPoolClient, params: Record<string, string>): Promise<AuthOutcome> {
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

// --- RespondToAuthChallenge input ----------------------------------------------------

export const CHALLENGE_NAMES = [
  'SMS_MFA',
  'EMAIL_OTP',
  'SOFTWARE_TOKEN_MFA',
  'SELECT_MFA_TYPE',
  'MFA_SETUP',
  'PASSWORD_VERIFIER',
  'CUSTOM_CHALLENGE',
  'SELECT_CHALLENGE',
  'DEVICE_SRP_AUTH',
  'DEVICE_PASSWORD_VERIFIER',
  'ADMIN_NO_SRP_AUTH',
  'NEW_PASSWORD_REQUIRED',
  'SMS_OTP',
  'PASSWORD',
  'WEB_AUTHN',
  'PASSWORD_SRP',
] as const;

export const SESSION_RULE: StringRule = { min: 20, max: 2048 };

/** Shared by both RespondToAuthChallenge operations. */
export async function answerChallenge(
  deps: SignInDeps,
  req: { pool: UserPool; client: UserPoolClient; challengeName: string; session: string | undefined; responses: Record<string, string> },
): Promise<AuthOutcome> {
  if (req.challengeName !== 'NEW_PASSWORD_REQUIRED') {
    throw new InvalidParameterException(`ChallengeName ${req.challengeName} is not supported by todoku; only NEW_PASSWORD_REQUIRED is issued.`);
  }
  if (req.session === undefined) throw new InvalidParameterException('Missing required parameter Session');
  return completeNewPassword(deps, { pool: req.pool, client: req.client, session: req.session, responses: req.responses });
}
