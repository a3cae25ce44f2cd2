// A sign-in that succeeded: its session (one per sign-in, holding the refresh token's
// hash) and the tokens returned, in the shapes InitiateAuth and RespondToAuthChallenge use.
import type { Ports } from '../ports.js';
import type { Deps } from './actions/types.js';
import type { Attributes, Session, User, UserPool, UserPoolClient } from './model.js';
import type { IssuedTokens } from '../tokens/service.js';
import { newSession } from './sessions.js';
import { tokenLifetimes } from './client-settings.js';

export type SignInDeps = Pick<Deps, 'config' | 'store' | 'clock' | 'random' | 'passwords' | 'tokens' | 'codeKey'>;
/** What a refresh uses: the session, the user, new tokens (no password, no new session). */
export type RefreshDeps = Pick<SignInDeps, 'store' | 'clock' | 'tokens'>;
/** What answering NEW_PASSWORD_REQUIRED uses: everything a sign-in does but the lockout settings. */
export type ChallengeDeps = Pick<SignInDeps, 'store' | 'clock' | 'random' | 'passwords' | 'tokens' | 'codeKey'>;

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

/** Stores the session of a sign-in that succeeded; returns it with its refresh token. */
export async function startSession(deps: Pick<SignInDeps, 'clock' | 'random'>, tx: Ports, client: UserPoolClient, user: User) {
  const created = newSession(deps, client, user);
  await tx.sessions.createSession(created.session);
  return created;
}

export async function issueTokens(deps: Pick<SignInDeps, 'store' | 'clock' | 'tokens'>, pool: UserPool, client: UserPoolClient, user: User, session: Session): Promise<IssuedTokens> {
  const attributes = await deps.store.users.getAttributes(user.sub);
  return deps.tokens.issue({
    poolId: pool.id,
    clientId: client.id,
    sub: user.sub,
    username: user.username,
    attributes: readableClaims(client, attributes),
    sessionId: session.id,
    authTimeMs: session.authTimeMs,
    lifetimes: tokenLifetimes(client.settings),
    nowMs: deps.clock.nowMs(),
  });
}

/**
 * The attributes the ID token may carry: only what the client may read (ReadAttributes;
 * empty or absent: everything), as GetUser shows it; group membership always.
 */
function readableClaims(client: UserPoolClient, attributes: Attributes): Attributes {
  const readable = client.settings.ReadAttributes;
  if (!readable || readable.length === 0) return attributes;
  const mayRead = new Set(readable);
  const out: Attributes = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'cognito:groups' || mayRead.has(name)) out[name] = value;
  }
  return out;
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

export function tokensOutcome(tokens: IssuedTokens, refreshToken?: string): AuthOutcome {
  return { ChallengeParameters: {}, AuthenticationResult: authenticationResult(tokens, refreshToken) };
}
