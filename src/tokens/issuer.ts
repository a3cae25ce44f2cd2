// RS256 ID and access tokens with Cognito's claims. Signing and verification use
// node:crypto directly: this is the hot path of every sign-in, refresh and GetUser.
import { sign, verify } from 'node:crypto';
import type { Random } from '../core/random.js';
import type { Keyring } from './keyring.js';
import type { AccessTokenCheck, AccessTokenClaims, IssuedTokens, TokenIssueRequest, TokenService } from './service.js';

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

// Attributes Cognito never puts in the ID token.
const NOT_IN_ID_TOKEN = new Set(['sub']);

export function issuerFor(publicUrl: string, poolId: string): string {
  return `${publicUrl}/${poolId}`;
}

/** `publicUrl` is read per call: with TODOKU_PORT=0 it is known only once the server listens. */
export function createTokenService(o: { keyring: Keyring; publicUrl: () => string; random: Random }): TokenService {
  async function signJwt(payload: object): Promise<string> {
    const key = await o.keyring.signingKey();
    const input = `${b64({ kid: key.kid, alg: 'RS256' })}.${b64(payload)}`;
    // The callback form signs on libuv's thread pool: the event loop keeps serving, and the
    // two signatures of a token pair run in parallel (BENCHMARKS.md: ×1.5 signatures/s here).
    const signature = await new Promise<Buffer>((resolve, reject) =>
      sign('sha256', Buffer.from(input), key.privateKey, (err, sig) => (err ? reject(err) : resolve(sig))),
    );
    return `${input}.${signature.toString('base64url')}`;
  }

  return {
    async issue(r: TokenIssueRequest): Promise<IssuedTokens> {
      const iat = Math.floor(r.nowMs / 1000);
      const authTime = Math.floor(r.authTimeMs / 1000);
      const iss = issuerFor(o.publicUrl(), r.poolId);
      const eventId = o.random.uuid();
      const accessSeconds = r.lifetimes.accessSeconds;
      const idClaims: Record<string, unknown> = { sub: r.sub };
      // Custom and standard attributes, typed as Cognito types the verified flags.
      for (const [name, value] of Object.entries(r.attributes)) {
        if (NOT_IN_ID_TOKEN.has(name) || name === 'cognito:groups') continue;
        idClaims[name] = name === 'email_verified' || name === 'phone_number_verified' ? value === 'true' : value;
      }
      const groups = r.attributes['cognito:groups'];
      Object.assign(idClaims, {
        iss,
        'cognito:username': r.username,
        ...(groups ? { 'cognito:groups': groups.split(',') } : {}),
        origin_jti: r.sessionId,
        aud: r.clientId,
        event_id: eventId,
        token_use: 'id',
        auth_time: authTime,
        exp: iat + r.lifetimes.idSeconds,
        iat,
        jti: o.random.uuid(),
      });
      const accessClaims: AccessTokenClaims = {
        sub: r.sub,
        iss,
        client_id: r.clientId,
        origin_jti: r.sessionId,
        event_id: eventId,
        token_use: 'access',
        scope: 'aws.cognito.signin.user.admin',
        auth_time: authTime,
        exp: iat + accessSeconds,
        iat,
        jti: o.random.uuid(),
        username: r.username,
      };
      const [IdToken, AccessToken] = await Promise.all([signJwt(idClaims), signJwt(accessClaims)]);
      return { IdToken, AccessToken, ExpiresIn: accessSeconds, TokenType: 'Bearer' };
    },

    async verifyAccessToken(token, nowMs): Promise<AccessTokenCheck> {
      const invalid: AccessTokenCheck = { valid: false, reason: 'invalid' };
      const parts = token.split('.');
      if (parts.length !== 3) return invalid;
      const [h, p, s] = parts as [string, string, string];
      let header: { alg?: string; kid?: string };
      let claims: AccessTokenClaims;
      try {
        header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
        claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
      } catch {
        return invalid;
      }
      // JSON that is not an object (null, 1, "x") is as invalid as no JSON, not a TypeError (500).
      if (typeof header !== 'object' || header === null || typeof claims !== 'object' || claims === null) return invalid;
      if (header.alg !== 'RS256' || typeof header.kid !== 'string') return invalid;
      const key = await o.keyring.publicKey(header.kid);
      if (!key || !verify('sha256', Buffer.from(`${h}.${p}`), key.publicKey, Buffer.from(s, 'base64url'))) return invalid;
      const base = o.publicUrl();
      if (claims.token_use !== 'access' || typeof claims.iss !== 'string' || !claims.iss.startsWith(base + '/')) return invalid;
      if (typeof claims.exp !== 'number' || claims.exp * 1000 <= nowMs) return { valid: false, reason: 'expired' };
      const poolId = claims.iss.slice(base.length + 1);
      return { valid: true, claims: { ...claims, poolId } };
    },

    jwks: () => o.keyring.jwks(),
  };
}
