// AdminDeleteUser: removes the user with its attributes, codes and sessions.
import type { AdminDeleteUserRequest } from '@aws-sdk/client-cognito-identity-provider';
import type { Action } from './types.js';
import type { NoOutput } from '../wire.js';
import { USERNAME_RULE, USER_POOL_ID_RULE, optionalObject, requireString } from '../validate.js';
import { requirePool, requireUser } from '../lookups.js';

export const adminDeleteUser: Action<AdminDeleteUserRequest, NoOutput, 'store'> = {
  name: 'AdminDeleteUser',
  auth: 'admin',
  category: 'UserResource',
  async run(deps, input) {
    const poolId = requireString(input, 'UserPoolId', USER_POOL_ID_RULE);
    const username = requireString(input, 'Username', USERNAME_RULE);
    optionalObject(input, 'ClientMetadata');
    const pool = await requirePool(deps.store, poolId);
    await deps.store.transaction(async (tx) => {
      const user = await requireUser(tx, pool, username);
      await tx.users.deleteUser(user.sub);
    });
    return {};
  },
};
