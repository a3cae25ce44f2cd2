// Rules shared by several Cognito operations: finding pools, clients and users the way
// Cognito does, SECRET_HASH, attribute checks, code delivery details.
import { createHmac } from 'node:crypto';
import { safeEqual } from '../core/compare.js';
import type { Ports } from '../ports.js';
import type { Attributes, ClientSettings, User, UserPool, UserPoolClient } from './model.js';
import {
  InvalidParameterException,
  NotAuthorizedException,
  ResourceNotFoundException,
  UserNotFoundException,
} from './errors.js';
import { describeEmailProblem, emailKey, emailProblem } from './email.js';
import { CLIENT_ID_RULE, USERNAME_RULE, optionalObject, optionalString, requireString, type AttributeInput, type Input } from './validate.js';
import { allowedAuthFlows } from './client-settings.js';

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

/** SECRET_HASH = Base64(HMAC-SHA256(client secret, username + client id)). */
export function computeSecretHash(secret: string, username: string, clientId: string): string {
  return createHmac('sha256', secret).update(username + clientId, 'utf8').digest('base64');
}

/**
 * Clients with a secret must send SECRET_HASH computed over the name the caller used
 * (Cognito also accepts it over the user's internal username or sub).
 */
export function checkSecretHash(client: UserPoolClient, secretHash: string | undefined, ...usernames: (string | undefined)[]): void {
  if (client.secret === null) return;
  if (secretHash === undefined) {
    throw new NotAuthorizedException(`Client ${client.id} is configured with secret but SECRET_HASH was not received`);
  }
  const ok = usernames.some((u) => u !== undefined && safeEqual(computeSecretHash(client.secret!, u, client.id), secretHash));
  if (!ok) throw new NotAuthorizedException(`Unable to verify secret hash for client ${client.id}`);
}

export function isEmailUsernamePool(pool: UserPool): boolean {
  return pool.settings.UsernameAttributes?.includes('email') ?? false;
}

export function isEmailAliasPool(pool: UserPool): boolean {
  return pool.settings.AliasAttributes?.includes('email') ?? false;
}

/** Usernames are case-insensitive unless the pool says otherwise (Cognito's default since 2020). */
export function usernameKey(pool: UserPool, username: string): string {
  return pool.settings.UsernameConfiguration?.CaseSensitive === true ? username : username.toLowerCase();
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

/** OIDC standard attributes Cognito accepts without a custom schema. */
export const STANDARD_ATTRIBUTES = new Set([
  'address', 'birthdate', 'email', 'email_verified', 'family_name', 'gender', 'given_name', 'locale', 'middle_name',
  'name', 'nickname', 'phone_number', 'phone_number_verified', 'picture', 'preferred_username', 'profile',
  'updated_at', 'website', 'zoneinfo',
]);

/**
 * Checks names and values of attributes a caller wants to set; returns them as a map.
 * `verifiedFlagsAllowed` is true for admin operations, which may set email_verified.
 */
export function checkAttributes(pool: UserPool, list: AttributeInput[], field: string, verifiedFlagsAllowed: boolean): Attributes {
  // Custom attributes are stored in the schema by their bare name and written as `custom:<name>`
  // only; a developer-only one is `dev:custom:<name>`, which is not `custom:<name>`.
  const custom = new Set((pool.settings.Schema ?? []).filter((s) => !s.DeveloperOnlyAttribute && s.Name !== 'sub' && !STANDARD_ATTRIBUTES.has(s.Name)).map((s) => s.Name));
  const out: Attributes = {};
  for (const { Name, Value } of list) {
    if (Name === 'sub') throw new InvalidParameterException(`${field}: Cannot modify the non-mutable attribute sub`);
    const known = STANDARD_ATTRIBUTES.has(Name) || (Name.startsWith('custom:') && custom.has(Name.slice(7)));
    if (!known) throw new InvalidParameterException(`Attributes did not conform to the schema: ${Name}: Attribute does not exist in the schema.`);
    if (!verifiedFlagsAllowed && (Name === 'email_verified' || Name === 'phone_number_verified')) {
      throw new InvalidParameterException(`${field}: ${Name} can only be set by an administrator.`);
    }
    if ((Name === 'email_verified' || Name === 'phone_number_verified') && Value !== 'true' && Value !== 'false') {
      throw new InvalidParameterException(`${field}: ${Name} must be "true" or "false".`);
    }
    if (Name === 'email') {
      const problem = emailProblem(Value);
      if (problem) throw new InvalidParameterException(`Invalid email address format: the email ${describeEmailProblem(problem)}.`);
    }
    out[Name] = Value;
  }
  return out;
}

/**
 * A client's WriteAttributes bind every self-service write (SignUp, UpdateUserAttributes,
 * the NEW_PASSWORD_REQUIRED answer); an empty or absent list lets it write any attribute.
 */
export function requireClientMayWrite(client: UserPoolClient, names: Iterable<string>): void {
  const writable = client.settings.WriteAttributes;
  if (!writable || writable.length === 0) return;
  for (const name of names) {
    if (!writable.includes(name)) throw new NotAuthorizedException('A client attempted to write unauthorized attribute');
  }
}

/** `t***@d***` — how Cognito shows where a code went. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  return `${local.charAt(0)}***@${domain.charAt(0)}***`;
}

export function codeDeliveryDetails(email: string): { Destination: string; DeliveryMedium: 'EMAIL'; AttributeName: 'email' } {
  return { Destination: maskEmail(email), DeliveryMedium: 'EMAIL', AttributeName: 'email' };
}

/** Whether a client permits an ALLOW_ flow (legacy ExplicitAuthFlows values mapped as Cognito does). */
export function clientAllowsFlow(settings: ClientSettings, flow: string): boolean {
  return allowedAuthFlows(settings).has(flow);
}

/** `email_key` a user should have: the lower-cased email when the pool signs in with email. */
export function emailKeyFor(pool: UserPool, attributes: Attributes): string | null {
  if (!isEmailUsernamePool(pool) && !isEmailAliasPool(pool)) return null;
  return attributes.email !== undefined ? emailKey(attributes.email) : null;
}

/** The fields every client-authorised user operation carries (ForgotPassword, ConfirmSignUp, …). */
export interface ClientUserFields {
  clientId: string;
  username: string;
  secretHash: string | undefined;
}

/** Reads and checks them (and the metadata Cognito accepts and todoku ignores) before any lookup. */
export function readClientUserFields(input: Input): ClientUserFields {
  const fields = {
    clientId: requireString(input, 'ClientId', CLIENT_ID_RULE),
    username: requireString(input, 'Username', USERNAME_RULE),
    secretHash: optionalString(input, 'SecretHash', { max: 128 }),
  };
  optionalObject(input, 'ClientMetadata');
  optionalObject(input, 'AnalyticsMetadata');
  optionalObject(input, 'UserContextData');
  return fields;
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

/**
 * The keys a user is found and kept unique by. In a pool whose users sign in with their
 * email, the sign-in name *is* the email: `usernameKey` holds the lower-cased address, so
 * the database's unique (pool, username_key) index keeps two accounts from sharing one
 * address even when two sign-ups race on PostgreSQL, and a sign-in finds the user in one
 * lookup. The stored username stays the sub, as in Cognito.
 */
export function userKeys(pool: UserPool, storedUsername: string, attributes: Attributes): { usernameKey: string; emailKey: string | null } {
  const email = emailKeyFor(pool, attributes);
  return {
    usernameKey: isEmailUsernamePool(pool) && email !== null ? email : usernameKey(pool, storedUsername),
    emailKey: email,
  };
}
