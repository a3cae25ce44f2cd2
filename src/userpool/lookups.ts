// Finding pools, clients and users the way Cognito does, with its errors for what is missing.
import type { Ports } from '../ports.js';
import type { User, UserPool, UserPoolClient } from './model.js';
import { ResourceNotFoundException, UserNotFoundException } from './errors.js';
import { emailKey } from './email.js';
import { isEmailAliasPool, isEmailUsernamePool, usernameKey } from './user-keys.js';
import { checkSecretHash } from './secret-hash.js';
import type { ClientUserFields } from './validate.js';

export async function requirePool(ports: Ports, poolId: string): Promise<UserPool> {
  const pool = await ports.pools.findPool(poolId);
  if (!pool) throw new ResourceNotFoundException(`User pool ${poolId} does not exist.`);
  return pool;
}

/** The client and its pool; an unknown client is ResourceNotFoundException as in Cognito. */
export async function requireClient(ports: Ports, clientId: string): Promise<{ client: UserPoolClient; pool: UserPool }> {
  const client = await ports.clients.findClient(clientId);
  if (!client) throw new ResourceNotFoundException(`User pool client ${clientId} does not exist.`);
  const pool = await requirePool(ports, client.poolId);
  return { client, pool };
}

/**
 * The client `clientId` of pool `poolId`. An unknown pool, an unknown client and a client
 * of another pool are all ResourceNotFoundException, as in Cognito.
 */
export async function requirePoolClient(ports: Ports, poolId: string, clientId: string): Promise<{ pool: UserPool; client: UserPoolClient }> {
  const pool = await requirePool(ports, poolId);
  const client = await ports.clients.findClient(clientId);
  if (!client || client.poolId !== pool.id) throw new ResourceNotFoundException(`User pool client ${clientId} does not exist.`);
  return { pool, client };
}

/**
 * Finds the user a caller means by `username`: the username itself, the sub, or — in
 * email-username pools and email-alias pools — the email address (for aliases only once
 * verified, as in Cognito).
 */
export async function findUser(ports: Ports, pool: UserPool, username: string): Promise<User | undefined> {
  const byName = await ports.users.findUserByUsername(pool.id, usernameKey(pool, username));
  if (byName) return byName;
  if (isEmailUsernamePool(pool) || isEmailAliasPool(pool)) {
    const candidates = await ports.users.findUsersByEmail(pool.id, emailKey(username));
    if (isEmailUsernamePool(pool)) {
      if (candidates[0]) return candidates[0];
    } else {
      for (const c of candidates) {
        const attrs = await ports.users.getAttributes(c.sub);
        if (attrs.email_verified === 'true') return c;
      }
    }
  }
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(username)) {
    return ports.users.findUserBySub(pool.id, username);
  }
  return undefined;
}

export async function requireUser(ports: Ports, pool: UserPool, username: string): Promise<User> {
  const user = await findUser(ports, pool, username);
  if (!user) throw new UserNotFoundException('User does not exist.');
  return user;
}

/**
 * The client, its pool and the user the name means (undefined when there is none), with
 * SECRET_HASH checked over any name the user is known by. The caller decides what a
 * missing user answers (PreventUserExistenceErrors).
 */
export async function resolveClientUser(
  ports: Ports,
  fields: ClientUserFields,
): Promise<{ client: UserPoolClient; pool: UserPool; found: User | undefined }> {
  const { client, pool } = await requireClient(ports, fields.clientId);
  const found = await findUser(ports, pool, fields.username);
  checkSecretHash(client, fields.secretHash, fields.username, found?.username, found?.sub);
  return { client, pool, found };
}
