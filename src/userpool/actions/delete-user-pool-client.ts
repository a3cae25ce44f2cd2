import type { DeleteUserPoolClientRequest } from '@aws-sdk/client-cognito-identity-provider';
import type { Action } from './types.js';
import type { NoOutput } from '../wire.js';
import { CLIENT_ID_RULE, USER_POOL_ID_RULE, requireString } from '../validate.js';
import { requirePoolClient } from '../lookups.js';

export const deleteUserPoolClient: Action<DeleteUserPoolClientRequest, NoOutput, 'store'> = {
  name: 'DeleteUserPoolClient',
  auth: 'admin',
  category: 'UserPoolClientResource',
  async run(deps, input) {
    const poolId = requireString(input, 'UserPoolId', USER_POOL_ID_RULE);
    const clientId = requireString(input, 'ClientId', CLIENT_ID_RULE);
    await deps.store.transaction(async (tx) => {
      const { client } = await requirePoolClient(tx, poolId, clientId);
      await tx.clients.deleteClient(client.id);
    });
    return {};
  },
};
