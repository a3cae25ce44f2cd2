// AdminDisableUser: "Deactivates a user and revokes all access tokens for the user. A
// deactivated user can't sign in, but still appears in ListUsers" (Cognito API reference).
import type { AdminDisableUserRequest, AdminDisableUserResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Action } from './types.js';
import type { Wire } from '../wire.js';
import { USERNAME_RULE, USER_POOL_ID_RULE, requireString } from '../validate.js';
import { requirePool, requireUser } from '../lookups.js';

export const adminDisableUser: Action<AdminDisableUserRequest, Wire<AdminDisableUserResponse>, 'store' | 'clock'> = {
  name: 'AdminDisableUser',
  auth: 'admin',
  category: 'UserResource',
  async run(deps, input) {
    const poolId = requireString(input, 'UserPoolId', USER_POOL_ID_RULE);
    const username = requireString(input, 'Username', USERNAME_RULE);
    const pool = await requirePool(deps.store, poolId);
    await deps.store.transaction(async (tx) => {
      const user = await requireUser(tx, pool, username);
      const nowMs = deps.clock.nowMs();
      // Revoking the sessions ends refresh tokens and the access tokens carrying them
      // (access.ts checks every access token's session; a disabled user is refused too).
      await tx.sessions.revokeUserSessions(user.sub, nowMs);
      await tx.users.updateUser(user.sub, { enabled: false, updatedAtMs: nowMs });
    });
    return {};
  },
};
