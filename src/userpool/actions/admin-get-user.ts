// AdminGetUser: a user's attributes and state, by username, alias or sub.
import type { AdminGetUserRequest, AdminGetUserResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Action } from './types.js';
import type { Wire } from '../wire.js';
import { USERNAME_RULE, USER_POOL_ID_RULE, requireString } from '../validate.js';
import { requirePool, requireUser } from '../lookups.js';
import { attributeList, epochSeconds } from '../user-view.js';

export const adminGetUser: Action<AdminGetUserRequest, Wire<AdminGetUserResponse>, 'store'> = {
  name: 'AdminGetUser',
  auth: 'admin',
  category: 'UserResourceRead',
  async run(deps, input) {
    const poolId = requireString(input, 'UserPoolId', USER_POOL_ID_RULE);
    const username = requireString(input, 'Username', USERNAME_RULE);
    const pool = await requirePool(deps.store, poolId);
    const user = await requireUser(deps.store, pool, username);
    const attributes = await deps.store.users.getAttributes(user.sub);
    // MFAOptions / UserMFASettingList are left out: todoku has no MFA, and Cognito omits them when empty.
    return {
      Username: user.username,
      UserAttributes: attributeList(user, attributes),
      UserCreateDate: epochSeconds(user.createdAtMs),
      UserLastModifiedDate: epochSeconds(user.updatedAtMs),
      Enabled: user.enabled,
      UserStatus: user.status,
    };
  },
};
