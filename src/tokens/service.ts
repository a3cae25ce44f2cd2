// What the user-pool actions need from the token layer. Implemented in tokens/issuer.ts.
// The token layer knows no pools, clients or users: a request carries the claims and
// lifetimes userpool computed, and a rejected token is an outcome, not a Cognito error.

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

/** How long a client's tokens live, in seconds (userpool/client-settings.ts reads them from the client). */
export interface TokenLifetimes {
  accessSeconds: number;
  idSeconds: number;
  refreshSeconds: number;
}

export interface TokenIssueRequest {
  poolId: string;
  clientId: string;
  sub: string;
  username: string;
  /** The user's attributes the client may read (the ID token's claims), plus `cognito:groups`. */
  attributes: Record<string, string>;
  /** The session (one per sign-in): every token of it carries its id as origin_jti. */
  sessionId: string;
  authTimeMs: number;
  lifetimes: Pick<TokenLifetimes, 'accessSeconds' | 'idSeconds'>;
  nowMs: number;
}

/** A verified access token, or why it is refused (`expired`: valid but past `exp`). */
export type AccessTokenCheck =
  | { valid: true; claims: AccessTokenClaims & { poolId: string } }
  | { valid: false; reason: 'invalid' | 'expired' };

export interface TokenService {
  issue(request: TokenIssueRequest): Promise<IssuedTokens>;
  /**
   * Checks signature, issuer, expiry and token_use. Does not look at sessions: see
   * userpool/access.ts for revocation, and for the Cognito errors a refusal answers.
   */
  verifyAccessToken(token: string, nowMs: number): Promise<AccessTokenCheck>;
  /** The JWKS document for a pool (keys are shared by all pools). */
  jwks(): Promise<{ keys: object[] }>;
}
