// Sessions: one per sign-in, holding its refresh token's hash (tokens/refresh.ts). Its id
// is the origin_jti of every ID and access token issued under it, so revoking the session
// (RevokeToken, GlobalSignOut) revokes them too.
import type { Clock } from '../core/clock.js';
import type { Random } from '../core/random.js';
import type { Ports } from '../ports.js';
import { newRefreshToken, refreshTokenHash } from '../tokens/refresh.js';
import type { Session, User, UserPoolClient } from './model.js';
import { NotAuthorizedException } from './errors.js';
import { tokenLifetimes } from './client-settings.js';

export interface NewSession {
  session: Session;
  /** The only copy in the clear: handed to the caller once, never stored. */
  refreshToken: string;
}

/** A session for a sign-in that just succeeded; the caller stores it with `createSession`. */
export function newSession(deps: { clock: Clock; random: Random }, client: UserPoolClient, user: User): NewSession {
  const nowMs = deps.clock.nowMs();
  const refresh = newRefreshToken(deps.random);
  return {
    refreshToken: refresh.token,
    session: {
      id: deps.random.uuid(),
      poolId: client.poolId,
      clientId: client.id,
      userSub: user.sub,
      refreshTokenHash: refresh.hash,
      authTimeMs: nowMs,
      createdAtMs: nowMs,
      // Cognito: the client's RefreshTokenValidity (default 30 days) from sign-in; refreshing does not extend it.
      expiresAtMs: nowMs + tokenLifetimes(client.settings).refreshSeconds * 1000,
      revokedAtMs: null,
    },
  };
}

/** The session a refresh token belongs to, or undefined for a token we never issued. */
export function findSessionByRefreshToken(ports: Ports, token: string): Promise<Session | undefined> {
  return ports.sessions.findSessionByRefreshHash(refreshTokenHash(token));
}

/**
 * The live session of `token` for `client`, with Cognito's refusals: a token of another
 * client is as invalid as an unknown one.
 */
export async function requireLiveSession(ports: Ports, client: UserPoolClient, token: string, nowMs: number): Promise<Session> {
  const session = await findSessionByRefreshToken(ports, token);
  if (!session || session.clientId !== client.id) throw new NotAuthorizedException('Invalid Refresh Token');
  if (session.revokedAtMs !== null) throw new NotAuthorizedException('Refresh Token has been revoked');
  if (session.expiresAtMs <= nowMs) throw new NotAuthorizedException('Refresh Token has expired');
  return session;
}
