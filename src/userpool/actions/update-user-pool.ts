import type { UpdateUserPoolRequest, UpdateUserPoolResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Action } from './types.js';
import type { Wire } from '../wire.js';
import { USER_POOL_ID_RULE, requireString } from '../validate.js';
import { requirePool } from '../lookups.js';
import { parsePoolUpdate } from '../pool-settings.js';

/** Replaces the pool's changeable settings; those the request omits return to their defaults, as in Cognito. */
export const updateUserPool: Action<UpdateUserPoolRequest, Wire<UpdateUserPoolResponse>, 'store' | 'clock' | 'senderRules'> = {
  name: 'UpdateUserPool',
  auth: 'admin',
  category: 'UserPoolResource',
  async run(deps, input) {
    const poolId = requireString(input, 'UserPoolId', USER_POOL_ID_RULE);
    await deps.store.transaction(async (tx) => {
      const pool = await requirePool(tx, poolId);
      const { name, settings } = parsePoolUpdate(input, pool);
      await deps.senderRules.checkPoolSender(tx, settings.EmailConfiguration);
      await tx.pools.updatePool(pool.id, name, settings, deps.clock.nowMs());
    });
    return {};
  },
};
