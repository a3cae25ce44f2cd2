import type { GetTokensFromRefreshTokenRequest, GetTokensFromRefreshTokenResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Action } from './types.js';
import type { Wire } from '../wire.js';
import { CLIENT_ID_RULE, TOKEN_RULE, optionalObject, optionalString, requireString, type StringRule } from '../validate.js';
import { requireClient } from '../lookups.js';
import { NotAuthorizedException } from '../errors.js';
import { clientSecretMatches, refreshSession, requireFlowEnabled } from '../sign-in.js';

export const CLIENT_SECRET_RULE: StringRule = { max: 64, pattern: /^[\w+]+$/, patternText: '[\\w+]+' };

/**
 * The refresh operation Amplify v6 uses. The client proves itself with its secret, not a
 * SECRET_HASH. Without refresh-token rotation (todoku has none) only new ID and access
 * tokens come back, as in Cognito.
 */
export const getTokensFromRefreshToken: Action<GetTokensFromRefreshTokenRequest, Wire<GetTokensFromRefreshTokenResponse>, 'store' | 'clock' | 'tokens'> = {
  name: 'GetTokensFromRefreshToken',
  auth: 'public',
  category: 'UserAuthentication',
  async run(deps, input) {
    const refreshToken = requireString(input, 'RefreshToken', TOKEN_RULE);
    const clientId = requireString(input, 'ClientId', CLIENT_ID_RULE);
    const clientSecret = optionalString(input, 'ClientSecret', CLIENT_SECRET_RULE);
    optionalString(input, 'DeviceKey', { max: 55 });
    optionalObject(input, 'ClientMetadata');

    const { client, pool } = await requireClient(deps.store, clientId);
    requireFlowEnabled(client, 'REFRESH_TOKEN_AUTH');
    if (!clientSecretMatches(client, clientSecret)) {
      throw new NotAuthorizedException(
        clientSecret === undefined
          ? `Client ${client.id} is configured with secret but ClientSecret was not received`
          : `Unable to verify ClientSecret for client ${client.id}`,
      );
    }
    const AuthenticationResult = await refreshSession(deps, { pool, client, refreshToken, checkClientProof: () => undefined });
    return { AuthenticationResult };
  },
};
