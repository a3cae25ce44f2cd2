import type { AdminInitiateAuthRequest, AdminInitiateAuthResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Action } from './types.js';
import type { Wire } from '../wire.js';
import { CLIENT_ID_RULE, USER_POOL_ID_RULE, optionalObject, requireString } from '../validate.js';
import { requireClient, requirePool } from '../lookups.js';
import { InvalidParameterException, ResourceNotFoundException } from '../errors.js';
import {
  AUTH_FLOW_TYPES,
  passwordWithAuthParameters,
  refreshWithAuthParameters,
  requireEnum,
  requireFlowEnabled,
  stringMap,
} from '../sign-in.js';

/** Server-side sign-in with the operator's credentials: ADMIN_USER_PASSWORD_AUTH (and its legacy name) and refresh. */
export const adminInitiateAuth: Action<AdminInitiateAuthRequest, Wire<AdminInitiateAuthResponse>, 'config' | 'store' | 'clock' | 'random' | 'passwords' | 'tokens' | 'codeKey'> = {
  name: 'AdminInitiateAuth',
  auth: 'admin',
  category: 'UserAuthentication',
  async run(deps, input) {
    const poolId = requireString(input, 'UserPoolId', USER_POOL_ID_RULE);
    const clientId = requireString(input, 'ClientId', CLIENT_ID_RULE);
    const authFlow = requireEnum(input, 'AuthFlow', AUTH_FLOW_TYPES);
    const params = stringMap(input, 'AuthParameters');
    optionalObject(input, 'ClientMetadata');
    optionalObject(input, 'AnalyticsMetadata');
    optionalObject(input, 'ContextData');

    if (authFlow === 'USER_PASSWORD_AUTH') throw new InvalidParameterException('Initiate Auth method not supported.');
    const pool = await requirePool(deps.store, poolId);
    const { client } = await requireClient(deps.store, clientId);
    if (client.poolId !== pool.id) throw new ResourceNotFoundException(`User pool client ${clientId} does not exist.`);
    switch (authFlow) {
      case 'ADMIN_USER_PASSWORD_AUTH':
      case 'ADMIN_NO_SRP_AUTH':
        requireFlowEnabled(client, authFlow);
        return passwordWithAuthParameters(deps, pool, client, params);
      case 'REFRESH_TOKEN_AUTH':
      case 'REFRESH_TOKEN':
        requireFlowEnabled(client, authFlow);
        return refreshWithAuthParameters(deps, pool, client, params);
      default:
        throw new InvalidParameterException(`${authFlow} is not supported by todoku; use ADMIN_USER_PASSWORD_AUTH or REFRESH_TOKEN_AUTH.`);
    }
  },
};
