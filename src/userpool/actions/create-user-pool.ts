import type { CreateUserPoolRequest, CreateUserPoolResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Answer } from '../wire.js';
import type { Action } from './types.js';
import type { UserPool } from '../model.js';
import { newUserPoolId } from '../../core/ids.js';
import { describePool, parseNewPool, type PoolDescription } from '../pool-settings.js';

export const createUserPool: Action<CreateUserPoolRequest, Answer<CreateUserPoolResponse, { UserPool: PoolDescription }>, 'config' | 'store' | 'clock' | 'random' | 'senderRules'> = {
  name: 'CreateUserPool',
  auth: 'admin',
  category: 'UserPoolResource',
  async run(deps, input) {
    const { name, settings } = parseNewPool(input);
    const nowMs = deps.clock.nowMs();
    const pool: UserPool = { id: newUserPoolId(deps.random, deps.config.region), name, settings, createdAtMs: nowMs, updatedAtMs: nowMs };
    await deps.store.transaction(async (tx) => {
      // A DEVELOPER sender must be a todoku sending identity, as Cognito checks SourceArn against SES.
      await deps.senderRules.checkPoolSender(tx, settings.EmailConfiguration);
      await tx.pools.createPool(pool);
    });
    return { UserPool: describePool(pool, deps.config.region, 0) };
  },
};
