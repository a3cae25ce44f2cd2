import type { ConfirmSignUpRequest, ConfirmSignUpResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Action } from './types.js';
import type { Wire } from '../wire.js';
import { CODE_RULE, optionalBoolean, optionalString, requireString } from '../validate.js';
import { isEmailAliasPool, usernameKey } from '../user-keys.js';
import { readClientUserFields } from '../validate.js';
import { resolveClientUser } from '../lookups.js';
import { AliasExistsException, NotAuthorizedException, UserNotFoundException } from '../errors.js';
import { checkCode, hidesUserExistence, simulateCodeCheck } from '../codes.js';

export const confirmSignUp: Action<ConfirmSignUpRequest, Wire<ConfirmSignUpResponse>, 'config' | 'store' | 'clock' | 'codeKey'> = {
  name: 'ConfirmSignUp',
  auth: 'public',
  category: 'UserCreation',
  async run(deps, input) {
    const fields = readClientUserFields(input);
    const { username } = fields;
    const code = requireString(input, 'ConfirmationCode', CODE_RULE);
    const forceAliasCreation = optionalBoolean(input, 'ForceAliasCreation') ?? false;
    optionalString(input, 'Session', { max: 2048 });

    const { client, pool, found } = await resolveClientUser(deps.store, fields);
    if (!found) {
      if (hidesUserExistence(client)) {
        // Same answer as a wrong code, after about the same work.
        const nameKey = `${pool.id}:${usernameKey(pool, username)}`;
        throw await deps.store.transaction((tx) => simulateCodeCheck(tx, deps, nameKey, 'SIGN_UP', code));
      }
      throw new UserNotFoundException('Username/client id combination not found.');
    }
    if (!found.enabled) throw new NotAuthorizedException('User is disabled.');
    if (found.status !== 'UNCONFIRMED') throw new NotAuthorizedException(`User cannot be confirmed. Current status is ${found.status}`);

    const outcome = await deps.store.transaction(async (tx) => {
      const user = (await tx.users.findUserBySub(pool.id, found.sub)) ?? found;
      if (user.status !== 'UNCONFIRMED') throw new NotAuthorizedException(`User cannot be confirmed. Current status is ${user.status}`);
      const check = await checkCode(tx, deps, user, 'SIGN_UP', code);
      if (!check.ok) return check;

      const attributes = await tx.users.getAttributes(user.sub);
      const verified: Record<string, string> = {};
      // The sign-up code went to the email (SignUp and ResendConfirmationCode send it there
      // when the pool auto-verifies email), so entering it proves the address.
      if (attributes.email !== undefined && (pool.settings.AutoVerifiedAttributes ?? []).includes('email')) {
        verified.email_verified = 'true';
        if (isEmailAliasPool(pool) && user.emailKey !== null) {
          // An alias belongs to one user: a verified email that another user already signs
          // in with moves only when the caller asks for it (ForceAliasCreation).
          for (const other of await tx.users.findUsersByEmail(pool.id, user.emailKey)) {
            if (other.sub === user.sub) continue;
            if ((await tx.users.getAttributes(other.sub)).email_verified !== 'true') continue;
            if (!forceAliasCreation) throw new AliasExistsException('An account with the email already exists.');
            await tx.users.setAttributes(pool.id, other.sub, { email_verified: 'false' });
          }
        }
      }
      if (Object.keys(verified).length > 0) await tx.users.setAttributes(pool.id, user.sub, verified);
      await tx.users.updateUser(user.sub, { status: 'CONFIRMED', updatedAtMs: deps.clock.nowMs() });
      return check;
    });
    if (!outcome.ok) throw outcome.error;
    return {};
  },
};
