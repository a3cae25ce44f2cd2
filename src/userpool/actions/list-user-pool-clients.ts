import type { ListUserPoolClientsRequest, ListUserPoolClientsResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Action } from './types.js';
import type { Wire } from '../wire.js';
import { USER_POOL_ID_RULE, optionalInteger, optionalString, requireString } from '../validate.js';
import { requirePool } from '../lookups.js';
import { pageToken, readPageToken } from '../paging.js';

export const listUserPoolClients: Action<ListUserPoolClientsRequest, Wire<ListUserPoolClientsResponse>, 'store'> = {
  name: 'ListUserPoolClients',
  auth: 'admin',
  category: 'UserPoolClientRead',
  async run(deps, input) {
    const poolId = requireString(input, 'UserPoolId', USER_POOL_ID_RULE);
    const maxResults = optionalInteger(input, 'MaxResults', 1, 60) ?? 60;
    const listing = `clients:${poolId}`;
    const after = readPageToken(listing, optionalString(input, 'NextToken', { min: 1, max: 131072, pattern: /^\S+$/, patternText: '[\\S]+' }));
    const pool = await requirePool(deps.store, poolId);
    const rows = await deps.store.clients.listClients(pool.id, maxResults + 1, after);
    const page = rows.slice(0, maxResults);
    return {
      UserPoolClients: page.map((c) => ({ ClientId: c.id, UserPoolId: c.poolId, ClientName: c.name })),
      ...(rows.length > maxResults ? { NextToken: pageToken(listing, page[page.length - 1]!.id) } : {}),
    };
  },
};
