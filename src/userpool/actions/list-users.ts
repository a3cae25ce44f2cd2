// ListUsers: users of a pool in pages of at most 60, optionally filtered on one searchable
// attribute (list-filter.ts). Pages follow the sub order; the token is opaque to callers.
import type { ListUsersRequest, ListUsersResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Action } from './types.js';
import type { Wire } from '../wire.js';
import { USER_POOL_ID_RULE, optionalInteger, optionalString, optionalStringList, requireString } from '../validate.js';
import { STANDARD_ATTRIBUTES } from '../attributes.js';
import { requirePool } from '../lookups.js';
import { InvalidParameterException } from '../errors.js';
import { parseUserFilter } from '../list-filter.js';
import { toUserType } from '../user-view.js';
import type { UserPool } from '../model.js';

const DEFAULT_LIMIT = 60;
const TOKEN_PREFIX = 'u1:';

export function encodePaginationToken(afterSub: string): string {
  return Buffer.from(TOKEN_PREFIX + afterSub, 'utf8').toString('base64url');
}

export function decodePaginationToken(token: string): string {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (!text.startsWith(TOKEN_PREFIX) || text.length === TOKEN_PREFIX.length || Buffer.from(text, 'utf8').toString('base64url') !== token) {
    throw new InvalidParameterException('PaginationToken: the token is not one ListUsers returned.');
  }
  return text.slice(TOKEN_PREFIX.length);
}

function checkAttributesToGet(pool: UserPool, names: string[]): void {
  const custom = new Set((pool.settings.Schema ?? []).flatMap((s) => [s.Name, `custom:${s.Name}`]));
  for (const name of names) {
    if (name === 'sub' || STANDARD_ATTRIBUTES.has(name) || custom.has(name)) continue;
    throw new InvalidParameterException(`AttributesToGet: ${name} is not an attribute of this user pool.`);
  }
}

export const listUsers: Action<ListUsersRequest, Wire<ListUsersResponse>, 'store'> = {
  name: 'ListUsers',
  auth: 'admin',
  category: 'UserList',
  async run(deps, input) {
    const poolId = requireString(input, 'UserPoolId', USER_POOL_ID_RULE);
    const attributesToGet = optionalStringList(input, 'AttributesToGet', {
      min: 1,
      max: 32,
      pattern: /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u,
      patternText: '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+',
    });
    // QueryLimitType is 0..60; 0 (like no Limit) means the default page of 60.
    const limit = optionalInteger(input, 'Limit', 0, 60) || DEFAULT_LIMIT;
    const token = optionalString(input, 'PaginationToken', { min: 1, pattern: /^\S+$/, patternText: '[\\S]+' });
    const filterText = optionalString(input, 'Filter', { max: 256 });

    const parsed = parseUserFilter(filterText ?? '');
    if (!parsed.ok) throw new InvalidParameterException(`Filter: ${parsed.problem}.`);
    const afterSub = token === undefined ? undefined : decodePaginationToken(token);
    const pool = await requirePool(deps.store, poolId);
    if (attributesToGet) checkAttributesToGet(pool, attributesToGet);

    // One more than asked tells whether another page exists.
    const rows = await deps.store.users.listUsers({ poolId: pool.id, filter: parsed.filter, limit: limit + 1, afterSub });
    const page = rows.slice(0, limit);
    const attributes = await deps.store.users.getAttributesOfMany(page.map((u) => u.sub));
    return {
      Users: page.map((u) => toUserType(u, attributes.get(u.sub) ?? {}, attributesToGet)),
      ...(rows.length > limit ? { PaginationToken: encodePaginationToken(page[page.length - 1]!.sub) } : {}),
    };
  },
};
