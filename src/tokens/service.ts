// What the user-pool actions need from the token layer. Implemented in tokens/issuer.ts.
import type { Attributes, Session, User, UserPool, UserPoolClient } from '../userpool/model.js';

export interface IssuedTokens {
  IdToken: string;
  AccessToken: string;
  /** Access token lifetime in seconds. */
  ExpiresIn: number;
  TokenType: 'Bearer';
}

export interface AccessTokenClaims {
  sub: string;
  iss: string;
  client_id: string;
  origin_jti: string;
  event_id: string;
  token_use: 'access';
  scope: string;
  auth_time: number;
  exp: number;
  iat: number;
  jti: string;
  username: string;
}

export interface TokenIssueRequest {
  pool: UserPool;
  client: UserPoolClient;
  user: User;
  attributes: Attributes;
  session: Session;
  nowMs: number;
}

export interface TokenService {
  issue(request: TokenIssueRequest): Promise<IssuedTokens>;
  /**
   * Checks signature, issuer, expiry and token_use. Throws NotAuthorizedException
   * ("Invalid Access Token" / "Access Token has expired") otherwise. Does not look at
   * sessions: see userpool/access.ts for revocation.
   */
  verifyAccessToken(token: string, nowMs: number): Promise<AccessTokenClaims & { poolId: string }>;
  /** The JWKS document for a pool (keys are shared by all pools). */
  jwks(): Promise<{ keys: object[] }>;
}
