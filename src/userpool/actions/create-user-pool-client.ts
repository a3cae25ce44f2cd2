import type { CreateUserPoolClientRequest, CreateUserPoolClientResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Answer } from '../wire.js';
import type { Action } from './types.js';
import type { UserPoolClient } from '../model.js';
import { USER_POOL_ID_RULE, optionalBoolean, optionalString, requireString } from '../validate.js';
import { requirePool } from '../lookups.js';
import { InvalidParameterException } from '../errors.js';
import { newClientId, newClientSecret } from '../../core/ids.js';
import { CLIENT_SECRET_RULE, describeClient, parseClientSettings, type ClientDescription } from '../client-settings.js';

export const createUserPoolClient: Action<CreateUserPoolClientRequest, Answer<CreateUserPoolClientResponse, { UserPoolClient: ClientDescription }>, 'store' | 'clock' | 'random'> = {
  name: 'CreateUserPoolClient',
  auth: 'admin',
  category: 'UserPoolClientResource',
  async run(deps, input) {
    const poolId = requireString(input, 'UserPoolId', USER_POOL_ID_RULE);
    const generateSecret = optionalBoolean(input, 'GenerateSecret') ?? false;
    const givenSecret = optionalString(input, 'ClientSecret', CLIENT_SECRET_RULE);
    if (generateSecret && givenSecret !== undefined) {
      throw new InvalidParameterException('ClientSecret cannot be given together with GenerateSecret true.');
    }
    const secret = givenSecret ?? (generateSecret ? newClientSecret(deps.random) : null);
    const client = await deps.store.transaction(async (tx) => {
      const pool = await requirePool(tx, poolId);
      const { name, settings } = parseClientSettings(input, pool, { hasSecret: secret !== null });
      const nowMs = deps.clock.nowMs();
      const created: UserPoolClient = { id: newClientId(deps.random), poolId: pool.id, name, secret, settings, createdAtMs: nowMs, updatedAtMs: nowMs };
      await tx.clients.createClient(created);
      return created;
    });
    return { UserPoolClient: describeClient(client) };
  },
};
