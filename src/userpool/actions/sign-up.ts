import type { SignUpRequest, SignUpResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Action } from './types.js';
import type { Wire } from '../wire.js';
import {
  CLIENT_ID_RULE,
  PASSWORD_RULE,
  USERNAME_RULE,
  optionalAttributeList,
  optionalObject,
  optionalString,
  requireString,
} from '../validate.js';
import { checkAttributes, requireClientMayWrite } from '../attributes.js';
import { checkSecretHash } from '../secret-hash.js';
import { codeDeliveryDetails } from '../code-delivery.js';
import { userKeys, isEmailUsernamePool } from '../user-keys.js';
import { requireClient } from '../lookups.js';
import { InvalidParameterException, NotAuthorizedException, UsernameExistsException } from '../errors.js';
import { checkPasswordPolicy } from '../passwords.js';
import { describeEmailProblem, emailProblem } from '../email.js';
import { issueCode } from '../codes.js';
import type { User } from '../model.js';

export const signUp: Action<SignUpRequest, Wire<SignUpResponse>, 'store' | 'clock' | 'random' | 'passwords' | 'mail' | 'codeKey'> = {
  name: 'SignUp',
  auth: 'public',
  category: 'UserCreation',
  async run(deps, input) {
    const clientId = requireString(input, 'ClientId', CLIENT_ID_RULE);
    const username = requireString(input, 'Username', USERNAME_RULE);
    const password = requireString(input, 'Password', PASSWORD_RULE);
    const secretHash = optionalString(input, 'SecretHash', { max: 128 });
    const attributeList = optionalAttributeList(input, 'UserAttributes') ?? [];
    optionalAttributeList(input, 'ValidationData');
    optionalObject(input, 'ClientMetadata');

    const { client, pool } = await requireClient(deps.store, clientId);
    checkSecretHash(client, secretHash, username);
    if (pool.settings.AdminCreateUserConfig?.AllowAdminCreateUserOnly) {
      throw new NotAuthorizedException('SignUp is not permitted for this user pool');
    }
    const attributes = checkAttributes(pool, attributeList, 'UserAttributes', false);
    requireClientMayWrite(client, Object.keys(attributes));

    let storedUsername = username;
    if (isEmailUsernamePool(pool)) {
      // Email as username: the address signs in, the stored username is the sub (as Cognito).
      const problem = emailProblem(username);
      if (problem) throw new InvalidParameterException(`Username should be an email: the address ${describeEmailProblem(problem)}.`);
      if (attributes.email !== undefined && attributes.email !== username) {
        throw new InvalidParameterException('UserAttributes: email must equal Username in a pool that signs in with email.');
      }
      attributes.email = username;
    }
    checkPasswordPolicy(password, pool.settings.Policies.PasswordPolicy);

    const passwordHash = await deps.passwords.hash(password);
    const sub = deps.random.uuid();
    if (isEmailUsernamePool(pool)) storedUsername = sub;
    const nowMs = deps.clock.nowMs();
    const user: User = {
      sub,
      poolId: pool.id,
      username: storedUsername,
      ...userKeys(pool, storedUsername, attributes),
      status: 'UNCONFIRMED',
      enabled: true,
      passwordHash,
      failedSignIns: 0,
      lockedUntilMs: 0,
      createdAtMs: nowMs,
      updatedAtMs: nowMs,
    };
    if (attributes.email !== undefined) attributes.email_verified ??= 'false';
    const sendsCode = attributes.email !== undefined && (pool.settings.AutoVerifiedAttributes ?? []).includes('email');

    await deps.store.transaction(async (tx) => {
      if (isEmailUsernamePool(pool) && user.emailKey !== null && (await tx.users.findUsersByEmail(pool.id, user.emailKey)).length > 0) {
        throw new UsernameExistsException('An account with the given email already exists.');
      }
      if (!(await tx.users.createUser(user, attributes))) throw new UsernameExistsException('User already exists');
      if (sendsCode) {
        const code = await issueCode(tx, deps, user, 'SIGN_UP');
        await deps.mail.enqueue(tx, { pool, sub, kind: 'SIGN_UP', to: attributes.email!, username: storedUsername, code });
      }
    });
    if (sendsCode) deps.mail.kick();

    return {
      UserConfirmed: false,
      UserSub: sub,
      ...(sendsCode ? { CodeDeliveryDetails: codeDeliveryDetails(attributes.email!) } : {}),
    };
  },
};
