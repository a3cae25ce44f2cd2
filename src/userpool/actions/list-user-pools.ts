import type { ListUserPoolsRequest, ListUserPoolsResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Action } from './types.js';
import type { Wire } from '../wire.js';
import { optionalInteger, optionalString, requireString } from '../validate.js';
import { epochSeconds } from '../pool-settings.js';
import { pageToken, readPageToken } from '../paging.js';

export const listUserPools: Action<ListUserPoolsRequest, Wire<ListUserPoolsResponse>, 'store'> = {
  name: 'ListUserPools',
  auth: 'admin',
  category: 'UserPoolRead',
  async run(deps, input) {
    if (input.MaxResults === undefined || input.MaxResults === null) requireString(input, 'MaxResults');
    const maxResults = optionalInteger(input, 'MaxResults', 1, 60)!;
    const after = readPageToken('pools', optionalString(input, 'NextToken', { min: 1, pattern: /^\S+$/, patternText: '[\\S]+' }));
    const rows = await deps.store.pools.listPools(maxResults + 1, after);
    const page = rows.slice(0, maxResults);
    return {
      UserPools: page.map((p) => ({
        Id: p.id,
        Name: p.name,
        LambdaConfig: {},
        Status: 'Enabled',
        LastModifiedDate: epochSeconds(p.updatedAtMs),
        CreationDate: epochSeconds(p.createdAtMs),
      })),
      ...(rows.length > maxResults ? { NextToken: pageToken('pools', page[page.length - 1]!.id) } : {}),
    };
  },
};
