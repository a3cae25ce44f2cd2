// Composition: the demo pool and client a first start creates, so a new user can sign in at once.
import type { Deps } from '../userpool/actions/types.js';
import { createUserPool } from '../userpool/actions/create-user-pool.js';
import { createUserPoolClient } from '../userpool/actions/create-user-pool-client.js';

export interface DemoIds {
  poolId: string;
  clientId: string;
  createdNow: boolean;
}

/**
 * Creates the demo pool and client once, through the same actions an operator would call.
 * Runs under the startup lock: the check and the creation cannot interleave with another
 * process's, so one demo pool exists and every process reports it.
 */
export async function ensureDemo(deps: Deps): Promise<DemoIds | undefined> {
  const existingPool = await deps.store.settings.getSetting('demo_pool_id');
  const existingClient = await deps.store.settings.getSetting('demo_client_id');
  if (existingPool && existingClient && (await deps.store.pools.findPool(existingPool))) {
    return { poolId: existingPool, clientId: existingClient, createdNow: false };
  }
  const ctx = { sourceIp: '127.0.0.1', signedByAdmin: true };
  const pool = await createUserPool.run(
    deps,
    {
      PoolName: 'todoku-demo',
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
    },
    ctx,
  );
  const client = await createUserPoolClient.run(
    deps,
    {
      UserPoolId: pool.UserPool.Id,
      ClientName: 'demo-app',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
    },
    ctx,
  );
  const poolId = await deps.store.settings.putSettingIfAbsent('demo_pool_id', pool.UserPool.Id);
  const clientId = await deps.store.settings.putSettingIfAbsent('demo_client_id', client.UserPoolClient.ClientId);
  return { poolId, clientId, createdNow: true };
}
