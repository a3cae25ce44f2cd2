import type { ConfirmSignUpRequest, ConfirmSignUpResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Action } from './types.js';
import type { Wire } from '../wire.js';
import { CODE_RULE, optionalBoolean, optionalString, requireString } from '../validate.js';
import { isEmailAliasPool, usernameKey } from '../user-keys.js';
import { readClientUserFields } from '../validate.js';
import { resolveClientUser } from '../lookups.js';
import { AliasExistsException, NotAuthorizedException, UserNotFoundException } from '../errors.js';
import { checkCode, checkCodeHidingExistence, hidesUserExistence } from '../codes.js';

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
    // PreventUserExistenceErrors: a missing, disabled or already confirmed user answers as a
    // wrong code would, by the same per-name sequence (checkCodeHidingExistence, issue 13 #7).
    const hide = hidesUserExistence(client);
    if (!hide) {
      if (!found) throw new UserNotFoundException('Username/client id combination not found.');
      if (!found.enabled) throw new NotAuthorizedException('User is disabled.');
      if (found.status !== 'UNCONFIRMED') throw new NotAuthorizedException(`User cannot be confirmed. Current status is ${found.status}`);
    }
    const nameKey = `${pool.id}:${usernameKey(pool, username)}`;

    const outcome = await deps.store.transaction(async (tx) => {
      const fresh = found ? ((await tx.users.findUserBySub(pool.id, found.sub)) ?? found) : undefined;
      const eligible = fresh?.enabled && fresh.status === 'UNCONFIRMED' ? fresh : undefined;
      if (!hide && !eligible) throw new NotAuthorizedException(`User cannot be confirmed. Current status is ${fresh!.status}`);
      const check = hide ? await checkCodeHidingExistence(tx, deps, eligible, nameKey, 'SIGN_UP', code) : await checkCode(tx, deps, eligible!, 'SIGN_UP', code);
      if (!check.ok || !eligible) return check;
      const user = eligible;

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
