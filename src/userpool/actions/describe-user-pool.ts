import type { DescribeUserPoolRequest, DescribeUserPoolResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Action } from './types.js';
import type { Wire } from '../wire.js';
import { USER_POOL_ID_RULE, requireString } from '../validate.js';
import { requirePool } from '../lookups.js';
import { describePool } from '../pool-settings.js';

export const describeUserPool: Action<DescribeUserPoolRequest, Wire<DescribeUserPoolResponse>, 'config' | 'store'> = {
  name: 'DescribeUserPool',
  auth: 'admin',
  category: 'UserPoolRead',
  async run(deps, input) {
    const poolId = requireString(input, 'UserPoolId', USER_POOL_ID_RULE);
    const pool = await requirePool(deps.store, poolId);
    const users = await deps.store.pools.countUsers(pool.id);
    return { UserPool: describePool(pool, deps.config.region, users) };
  },
};
