import type { UpdateUserPoolClientRequest, UpdateUserPoolClientResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Action } from './types.js';
import type { Wire } from '../wire.js';
import { CLIENT_ID_RULE, USER_POOL_ID_RULE, requireString } from '../validate.js';
import { describeClient, parseClientSettings } from '../client-settings.js';
import { requirePoolClient } from '../lookups.js';

/** Replaces the client's settings; those the request omits return to their defaults, as in Cognito. */
export const updateUserPoolClient: Action<UpdateUserPoolClientRequest, Wire<UpdateUserPoolClientResponse>, 'store' | 'clock'> = {
  name: 'UpdateUserPoolClient',
  auth: 'admin',
  category: 'UserPoolClientResource',
  async run(deps, input) {
    const poolId = requireString(input, 'UserPoolId', USER_POOL_ID_RULE);
    const clientId = requireString(input, 'ClientId', CLIENT_ID_RULE);
    const updated = await deps.store.transaction(async (tx) => {
      const { pool, client } = await requirePoolClient(tx, poolId, clientId);
      const { name, settings } = parseClientSettings(input, pool, { hasSecret: client.secret !== null, currentName: client.name });
      const nowMs = deps.clock.nowMs();
      await tx.clients.updateClient(client.id, name, settings, nowMs);
      return { ...client, name, settings, updatedAtMs: nowMs };
    });
    return { UserPoolClient: describeClient(updated) };
  },
};
