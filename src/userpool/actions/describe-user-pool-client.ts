import type { DescribeUserPoolClientRequest, DescribeUserPoolClientResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Action } from './types.js';
import type { Wire } from '../wire.js';
import { CLIENT_ID_RULE, USER_POOL_ID_RULE, requireString } from '../validate.js';
import { describeClient } from '../client-settings.js';
import { requirePoolClient } from '../lookups.js';

export const describeUserPoolClient: Action<DescribeUserPoolClientRequest, Wire<DescribeUserPoolClientResponse>, 'store'> = {
  name: 'DescribeUserPoolClient',
  auth: 'admin',
  category: 'UserPoolClientRead',
  async run(deps, input) {
    const poolId = requireString(input, 'UserPoolId', USER_POOL_ID_RULE);
    const clientId = requireString(input, 'ClientId', CLIENT_ID_RULE);
    const { client } = await requirePoolClient(deps.store, poolId, clientId);
    return { UserPoolClient: describeClient(client) };
  },
};
