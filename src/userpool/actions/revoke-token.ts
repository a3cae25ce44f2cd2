import type { RevokeTokenRequest, RevokeTokenResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Action } from './types.js';
import type { Wire } from '../wire.js';
import { CLIENT_ID_RULE, TOKEN_RULE, optionalString, requireString } from '../validate.js';
import { UnauthorizedException, UnsupportedOperationException, UnsupportedTokenTypeException } from '../errors.js';
import { clientSecretMatches } from '../sign-in.js';
import { findSessionByRefreshToken } from '../sessions.js';
import { CLIENT_SECRET_RULE } from './get-tokens-from-refresh-token.js';

/**
 * Revokes a refresh token and, with its session, every access token issued under it
 * (userpool/access.ts refuses them). Other sessions of the user stay signed in.
 */
export const revokeToken: Action<RevokeTokenRequest, Wire<RevokeTokenResponse>, 'store' | 'clock'> = {
  name: 'RevokeToken',
  auth: 'public',
  category: 'UserAuthentication',
  async run(deps, input) {
    const token = requireString(input, 'Token', TOKEN_RULE);
    const clientId = requireString(input, 'ClientId', CLIENT_ID_RULE);
    const clientSecret = optionalString(input, 'ClientSecret', CLIENT_SECRET_RULE);

    const client = await deps.store.clients.findClient(clientId);
    // RFC 7009 §2.1: the client is authenticated first; RevokeToken reports that as UnauthorizedException.
    if (!client) throw new UnauthorizedException(`User pool client ${clientId} does not exist.`);
    if (!clientSecretMatches(client, clientSecret)) {
      throw new UnauthorizedException(
        clientSecret === undefined
          ? `Client ${client.id} is configured with secret but ClientSecret was not received`
          : `Unable to verify ClientSecret for client ${client.id}`,
      );
    }
    // Cognito enables revocation on every client unless it was switched off.
    if (client.settings.EnableTokenRevocation === false) {
      throw new UnsupportedOperationException(`Token revocation is not enabled for client ${client.id}`);
    }
    // ID and access tokens are JWTs (three dot-separated parts); only refresh tokens can be revoked.
    if (token.split('.').length === 3) throw new UnsupportedTokenTypeException('Only refresh tokens can be revoked; Token is an ID or access token.');

    const session = await findSessionByRefreshToken(deps.store, token);
    // RFC 7009 §2.2: a token that is unknown or already invalid is no error.
    if (!session) return {};
    if (session.clientId !== client.id) throw new UnauthorizedException(`Token was not issued to client ${client.id}`);
    if (session.revokedAtMs === null) {
      await deps.store.transaction((tx) => tx.sessions.revokeSession(session.id, deps.clock.nowMs()));
    }
    return {};
  },
};
