import type { AdminUserGlobalSignOutRequest, AdminUserGlobalSignOutResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Action } from './types.js';
import type { Wire } from '../wire.js';
import { USERNAME_RULE, USER_POOL_ID_RULE, requireString } from '../validate.js';
import { requirePool, requireUser } from '../lookups.js';

/** GlobalSignOut by the operator: every session of the user ends. */
export const adminUserGlobalSignOut: Action<AdminUserGlobalSignOutRequest, Wire<AdminUserGlobalSignOutResponse>, 'store' | 'clock'> = {
  name: 'AdminUserGlobalSignOut',
  auth: 'admin',
  category: 'UserResource',
  async run(deps, input) {
    const poolId = requireString(input, 'UserPoolId', USER_POOL_ID_RULE);
    const username = requireString(input, 'Username', USERNAME_RULE);
    const pool = await requirePool(deps.store, poolId);
    const user = await requireUser(deps.store, pool, username);
    await deps.store.transaction((tx) => tx.sessions.revokeUserSessions(user.sub, deps.clock.nowMs()));
    return {};
  },
};
