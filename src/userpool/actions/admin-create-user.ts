// AdminCreateUser: the operator creates a user in FORCE_CHANGE_PASSWORD with a temporary
// password and (unless SUPPRESS) mails the invitation; RESEND issues a new temporary
// password to an existing FORCE_CHANGE_PASSWORD user and restarts its validity.
import type { AdminCreateUserRequest, AdminCreateUserResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Action, Deps } from './types.js';
import type { Wire } from '../wire.js';
import {
  PASSWORD_RULE,
  USERNAME_RULE,
  USER_POOL_ID_RULE,
  failEnum,
  optionalAttributeList,
  optionalBoolean,
  optionalObject,
  optionalString,
  optionalStringList,
  requireString,
  type Input,
} from '../validate.js';
import { checkAttributes } from '../attributes.js';
import { userKeys, isEmailAliasPool, isEmailUsernamePool } from '../user-keys.js';
import { requirePool, requireUser } from '../lookups.js';
import {
  AliasExistsException,
  InvalidParameterException,
  UnsupportedUserStateException,
  UsernameExistsException,
} from '../errors.js';
import { checkPasswordPolicy } from '../passwords.js';
import { describeEmailProblem, emailProblem } from '../email.js';
import { generateTemporaryPassword } from '../temporary-password.js';
import { toUserType } from '../user-view.js';
import type { Ports } from '../../ports.js';
import type { Attributes, User, UserPool } from '../model.js';

function enumValue<T extends string>(input: Input, field: string, allowed: readonly T[]): T | undefined {
  const value = optionalString(input, field);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) failEnum(field, value, allowed);
  return value as T;
}

/**
 * Cognito: in an email-alias pool, the other holder of a verified address loses it when
 * ForceAliasCreation is true; otherwise the request fails with AliasExistsException.
 */
export async function claimEmailAlias(tx: Ports, pool: UserPool, emailKey: string, ownSub: string, force: boolean): Promise<void> {
  for (const other of await tx.users.findUsersByEmail(pool.id, emailKey)) {
    if (other.sub === ownSub) continue;
    const attrs = await tx.users.getAttributes(other.sub);
    if (attrs.email_verified !== 'true') continue;
    if (!force) throw new AliasExistsException('An account with the given email already exists.');
    await tx.users.setAttributes(pool.id, other.sub, { email_verified: 'false' });
  }
}

async function temporaryPasswordHash(deps: Pick<Deps, 'random' | 'passwords'>, pool: UserPool, given: string | undefined): Promise<{ password: string; hash: string }> {
  const policy = pool.settings.Policies.PasswordPolicy;
  if (given !== undefined) checkPasswordPolicy(given, policy);
  const password = given ?? generateTemporaryPassword(policy, deps.random);
  return { password, hash: await deps.passwords.hash(password) };
}

export const adminCreateUser: Action<AdminCreateUserRequest, Wire<AdminCreateUserResponse>, 'store' | 'clock' | 'random' | 'passwords' | 'mail'> = {
  name: 'AdminCreateUser',
  auth: 'admin',
  category: 'UserCreation',
  async run(deps, input) {
    const poolId = requireString(input, 'UserPoolId', USER_POOL_ID_RULE);
    const username = requireString(input, 'Username', USERNAME_RULE);
    const attributeList = optionalAttributeList(input, 'UserAttributes') ?? [];
    optionalAttributeList(input, 'ValidationData');
    const givenPassword = optionalString(input, 'TemporaryPassword', PASSWORD_RULE);
    const forceAlias = optionalBoolean(input, 'ForceAliasCreation') ?? false;
    const messageAction = enumValue(input, 'MessageAction', ['RESEND', 'SUPPRESS'] as const);
    const mediums = optionalStringList(input, 'DesiredDeliveryMediums') ?? [];
    optionalObject(input, 'ClientMetadata');
    for (const [i, medium] of mediums.entries()) {
      if (medium === 'SMS') {
        throw new InvalidParameterException('DesiredDeliveryMediums: todoku sends no SMS; use EMAIL (or SUPPRESS the message).');
      }
      if (medium !== 'EMAIL') failEnum(`desiredDeliveryMediums.${i + 1}.member`, String(medium), ['SMS', 'EMAIL']);
    }

    const pool = await requirePool(deps.store, poolId);
    const nowMs = () => deps.clock.nowMs();

    if (messageAction === 'RESEND') {
      const existing = await requireUser(deps.store, pool, username);
      if (existing.status !== 'FORCE_CHANGE_PASSWORD') {
        throw new UnsupportedUserStateException(`Resend not possible. User status is ${existing.status}, not FORCE_CHANGE_PASSWORD.`);
      }
      const temp = await temporaryPasswordHash(deps, pool, givenPassword);
      const result = await deps.store.transaction(async (tx) => {
        const user = await requireUser(tx, pool, username);
        const at = nowMs();
        await tx.users.updateUser(user.sub, { passwordHash: temp.hash, temporaryPasswordIssuedAtMs: at, updatedAtMs: at });
        const attributes = await tx.users.getAttributes(user.sub);
        const updated: User = { ...user, passwordHash: temp.hash, temporaryPasswordIssuedAtMs: at, updatedAtMs: at };
        const sent = attributes.email !== undefined;
        if (sent) await deps.mail.enqueue(tx, { pool, sub: user.sub, kind: 'INVITATION', to: attributes.email!, username, code: temp.password });
        return { user: updated, attributes, sent };
      });
      if (result.sent) deps.mail.kick();
      return { User: toUserType(result.user, result.attributes) };
    }

    const attributes: Attributes = checkAttributes(pool, attributeList, 'UserAttributes', true);
    if (isEmailUsernamePool(pool)) {
      // Email as username: the address signs in; the stored username is the sub (as Cognito).
      const problem = emailProblem(username);
      if (problem) throw new InvalidParameterException(`Username should be an email: the address ${describeEmailProblem(problem)}.`);
      if (attributes.email !== undefined && attributes.email !== username) {
        throw new InvalidParameterException('UserAttributes: email must equal Username in a pool that signs in with email.');
      }
      attributes.email = username;
    } else if (isEmailAliasPool(pool) && emailProblem(username) === undefined) {
      throw new InvalidParameterException('Username cannot be of email format, since user pool is configured for email alias.');
    }

    const temp = await temporaryPasswordHash(deps, pool, givenPassword);
    const sub = deps.random.uuid();
    const storedUsername = isEmailUsernamePool(pool) ? sub : username;
    const createdAtMs = nowMs();
    const user: User = {
      sub,
      poolId: pool.id,
      username: storedUsername,
      ...userKeys(pool, storedUsername, attributes),
      status: 'FORCE_CHANGE_PASSWORD',
      enabled: true,
      passwordHash: temp.hash,
      failedSignIns: 0,
      lockedUntilMs: 0,
      createdAtMs,
      updatedAtMs: createdAtMs,
      temporaryPasswordIssuedAtMs: createdAtMs,
    };
    const sends = messageAction !== 'SUPPRESS' && attributes.email !== undefined;

    await deps.store.transaction(async (tx) => {
      if (isEmailUsernamePool(pool) && user.emailKey !== null && (await tx.users.findUsersByEmail(pool.id, user.emailKey)).length > 0) {
        throw new UsernameExistsException('An account with the given email already exists.');
      }
      if (isEmailAliasPool(pool) && user.emailKey !== null && attributes.email_verified === 'true') {
        await claimEmailAlias(tx, pool, user.emailKey, sub, forceAlias);
      }
      if (!(await tx.users.createUser(user, attributes))) throw new UsernameExistsException('User account already exists');
      // {username} in the invitation is what the user signs in with: the address in email-username pools.
      if (sends) await deps.mail.enqueue(tx, { pool, sub: user.sub, kind: 'INVITATION', to: attributes.email!, username, code: temp.password });
    });
    if (sends) deps.mail.kick();

    return { User: toUserType(user, attributes) };
  },
};
