import type { InitiateAuthRequest, InitiateAuthResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Action } from './types.js';
import type { Wire } from '../wire.js';
import { CLIENT_ID_RULE, optionalObject, requireString } from '../validate.js';
import { requireClient } from '../lookups.js';
import { InvalidParameterException } from '../errors.js';
import {
  AUTH_FLOW_TYPES,
  passwordWithAuthParameters,
  refreshWithAuthParameters,
  requireEnum,
  requireFlowEnabled,
  stringMap,
} from '../sign-in.js';

/** The public sign-in: USER_PASSWORD_AUTH and refresh. Admin flows belong to AdminInitiateAuth. */
export const initiateAuth: Action<InitiateAuthRequest, Wire<InitiateAuthResponse>, 'config' | 'store' | 'clock' | 'random' | 'passwords' | 'tokens' | 'codeKey'> = {
  name: 'InitiateAuth',
  auth: 'public',
  category: 'UserAuthentication',
  async run(deps, input) {
    const authFlow = requireEnum(input, 'AuthFlow', AUTH_FLOW_TYPES);
    const params = stringMap(input, 'AuthParameters');
    const clientId = requireString(input, 'ClientId', CLIENT_ID_RULE);
    optionalObject(input, 'ClientMetadata');
    optionalObject(input, 'AnalyticsMetadata');
    optionalObject(input, 'UserContextData');

    // Cognito refuses the admin flows here before looking at the client.
    if (authFlow === 'ADMIN_USER_PASSWORD_AUTH' || authFlow === 'ADMIN_NO_SRP_AUTH') {
      throw new InvalidParameterException('Initiate Auth method not supported.');
    }
    const { client, pool } = await requireClient(deps.store, clientId);
    switch (authFlow) {
      case 'USER_PASSWORD_AUTH':
        requireFlowEnabled(client, authFlow);
        return passwordWithAuthParameters(deps, pool, client, params);
      case 'REFRESH_TOKEN_AUTH':
      case 'REFRESH_TOKEN':
        requireFlowEnabled(client, authFlow);
        return refreshWithAuthParameters(deps, pool, client, params);
      default:
        throw new InvalidParameterException(`${authFlow} is not supported by todoku; use USER_PASSWORD_AUTH or REFRESH_TOKEN_AUTH.`);
    }
  },
};
