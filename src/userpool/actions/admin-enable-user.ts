// AdminEnableUser: lets a disabled user sign in again (tokens revoked on disabling stay revoked).
import type { AdminEnableUserRequest, AdminEnableUserResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Action } from './types.js';
import type { Wire } from '../wire.js';
import { USERNAME_RULE, USER_POOL_ID_RULE, requireString } from '../validate.js';
import { requirePool, requireUser } from '../lookups.js';

export const adminEnableUser: Action<AdminEnableUserRequest, Wire<AdminEnableUserResponse>, 'store' | 'clock'> = {
  name: 'AdminEnableUser',
  auth: 'admin',
  category: 'UserResource',
  async run(deps, input) {
    const poolId = requireString(input, 'UserPoolId', USER_POOL_ID_RULE);
    const username = requireString(input, 'Username', USERNAME_RULE);
    const pool = await requirePool(deps.store, poolId);
    await deps.store.transaction(async (tx) => {
      const user = await requireUser(tx, pool, username);
      await tx.users.updateUser(user.sub, { enabled: true, updatedAtMs: deps.clock.nowMs() });
    });
    return {};
  },
};
