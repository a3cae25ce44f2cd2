// The NEW_PASSWORD_REQUIRED challenge of users made by AdminCreateUser: the challenge
// InitiateAuth returns for a right temporary password, and its answer through either
// RespondToAuthChallenge operation. The challenge Session is encrypted and short-lived
// (the client's AuthSessionValidity) and names the password it was issued for, so a
// new temporary password or an answered challenge voids it.
import { createHash } from 'node:crypto';
import { deriveKey, seal, unseal } from '../core/seal.js';
import { safeEqual } from '../core/compare.js';
import type { Ports } from '../ports.js';
import type { Attributes, User, UserPool, UserPoolClient } from './model.js';
import { AliasExistsException, InvalidParameterException, NotAuthorizedException } from './errors.js';
import { checkAttributes, requireClientMayWrite } from './attributes.js';
import { checkSecretHash } from './secret-hash.js';
import { emailKeyFor, isEmailUsernamePool } from './user-keys.js';
import { findUser } from './lookups.js';
import { checkPasswordPolicy } from './passwords.js';
import { NO_FAILURES } from './lockout.js';
import { emailKey } from './email.js';
import type { AttributeInput, StringRule } from './validate.js';
import { issueTokens, startSession, tokensOutcome, type AuthOutcome, type ChallengeDeps, type SignInDeps } from './auth-result.js';

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

export async function newPasswordChallenge(deps: Pick<SignInDeps, 'store' | 'clock' | 'codeKey'>, pool: UserPool, client: UserPoolClient, user: User): Promise<AuthOutcome> {
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

function openChallengeSession(deps: Pick<SignInDeps, 'clock' | 'codeKey'>, session: string): ChallengeSession {
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
export async function completeNewPassword(deps: ChallengeDeps, req: NewPasswordResponse): Promise<AuthOutcome> {
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
  requireClientMayWrite(client, Object.keys(changes));
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
  deps: ChallengeDeps,
  req: { pool: UserPool; client: UserPoolClient; challengeName: string; session: string | undefined; responses: Record<string, string> },
): Promise<AuthOutcome> {
  if (req.challengeName !== 'NEW_PASSWORD_REQUIRED') {
    throw new InvalidParameterException(`ChallengeName ${req.challengeName} is not supported by todoku; only NEW_PASSWORD_REQUIRED is issued.`);
  }
  if (req.session === undefined) throw new InvalidParameterException('Missing required parameter Session');
  return completeNewPassword(deps, { pool: req.pool, client: req.client, session: req.session, responses: req.responses });
}
