import type { DeleteUserPoolRequest } from '@aws-sdk/client-cognito-identity-provider';
import type { Action } from './types.js';
import type { NoOutput } from '../wire.js';
import { USER_POOL_ID_RULE, requireString } from '../validate.js';
import { requirePool } from '../lookups.js';
import { InvalidParameterException } from '../errors.js';

export const deleteUserPool: Action<DeleteUserPoolRequest, NoOutput, 'store'> = {
  name: 'DeleteUserPool',
  auth: 'admin',
  category: 'UserPoolResource',
  async run(deps, input) {
    const poolId = requireString(input, 'UserPoolId', USER_POOL_ID_RULE);
    await deps.store.transaction(async (tx) => {
      const pool = await requirePool(tx, poolId);
      // API_DeleteUserPool: a protected pool answers InvalidParameterException until
      // UpdateUserPool turns DeletionProtection off.
      if (pool.settings.DeletionProtection === 'ACTIVE') {
        throw new InvalidParameterException(
          `The user pool ${pool.id} cannot be deleted because DeletionProtection is ACTIVE. Set DeletionProtection to INACTIVE with UpdateUserPool first.`,
        );
      }
      await tx.pools.deletePool(pool.id);
    });
    return {};
  },
};
