// Operations authorised by an access token (GetUser, ChangePassword, …): the token must
// verify, and its session must still be live — GlobalSignOut and RevokeToken end it.
import type { Deps } from './actions/types.js';
import type { Ports } from '../ports.js';
import type { User, UserPool } from './model.js';
import type { AccessTokenClaims } from '../tokens/service.js';
import { NotAuthorizedException } from './errors.js';
import { requirePool } from './lookups.js';
import { TOKEN_RULE, requireString, type Input } from './validate.js';

export interface AccessContext {
  claims: AccessTokenClaims;
  pool: UserPool;
  user: User;
}

export async function authenticateAccessToken(deps: Pick<Deps, 'tokens' | 'clock'>, ports: Ports, token: string): Promise<AccessContext> {
  const nowMs = deps.clock.nowMs();
  const check = await deps.tokens.verifyAccessToken(token, nowMs);
  if (!check.valid) throw new NotAuthorizedException(check.reason === 'expired' ? 'Access Token has expired' : 'Invalid Access Token');
  const claims = check.claims;
  const pool = await requirePool(ports, claims.poolId);
  const user = await ports.users.findUserBySub(pool.id, claims.sub);
  if (!user) throw new NotAuthorizedException('User does not exist.');
  const session = await ports.sessions.findSession(claims.origin_jti);
  // Cognito: "Access Token has been revoked" after GlobalSignOut / RevokeToken, which
  // revoke the session every token of one sign-in carries as origin_jti.
  if (!session || session.revokedAtMs !== null) {
    throw new NotAuthorizedException('Access Token has been revoked');
  }
  if (!user.enabled) throw new NotAuthorizedException('User is disabled.');
  return { claims, pool, user };
}

/** Reads and checks the `AccessToken` field, then authenticates it. */
export function accessFromInput(deps: Pick<Deps, 'tokens' | 'clock' | 'store'>, input: Input): Promise<AccessContext> {
  const token = requireString(input, 'AccessToken', TOKEN_RULE);
  return authenticateAccessToken(deps, deps.store, token);
}

/**
 * Self-service operations on the user's profile (UpdateUserAttributes, Verify…, …) need
 * the `aws.cognito.signin.user.admin` scope; tokens from an OAuth flow without it are
 * refused as Cognito refuses them.
 */
export function requireUserAdminScope(claims: AccessTokenClaims): void {
  if (!claims.scope.split(' ').includes('aws.cognito.signin.user.admin')) {
    throw new NotAuthorizedException('Access Token does not have required scopes');
  }
}
