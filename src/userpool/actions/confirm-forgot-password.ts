import type { ConfirmForgotPasswordRequest, ConfirmForgotPasswordResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Action } from './types.js';
import type { Wire } from '../wire.js';
import { CODE_RULE, PASSWORD_RULE, requireString } from '../validate.js';
import { usernameKey } from '../user-keys.js';
import { readClientUserFields } from '../validate.js';
import { resolveClientUser } from '../lookups.js';
import { NotAuthorizedException, UserNotFoundException } from '../errors.js';
import { checkPasswordPolicy } from '../passwords.js';
import { checkCode, hidesUserExistence, simulateCodeCheck } from '../codes.js';

export const confirmForgotPassword: Action<ConfirmForgotPasswordRequest, Wire<ConfirmForgotPasswordResponse>, 'config' | 'store' | 'clock' | 'passwords' | 'codeKey'> = {
  name: 'ConfirmForgotPassword',
  auth: 'public',
  category: 'AccountRecovery',
  async run(deps, input) {
    const fields = readClientUserFields(input);
    const { username } = fields;
    const code = requireString(input, 'ConfirmationCode', CODE_RULE);
    const password = requireString(input, 'Password', PASSWORD_RULE);

    const { client, pool, found } = await resolveClientUser(deps.store, fields);
    // The policy is the pool's, so checking it first tells nothing about the user.
    checkPasswordPolicy(password, pool.settings.Policies.PasswordPolicy);
    // Hashed before anything depends on the user: a missing user then costs the same
    // argon2 time as a real one (PreventUserExistenceErrors), and the transaction stays short.
    const passwordHash = await deps.passwords.hash(password);

    // Cognito (PreventUserExistenceErrors): CodeMismatchException "for users that don't
    // exist or are disabled".
    if (!found || !found.enabled) {
      if (hidesUserExistence(client)) {
        const nameKey = `${pool.id}:${usernameKey(pool, username)}`;
        throw await deps.store.transaction((tx) => simulateCodeCheck(tx, deps, nameKey, 'FORGOT_PASSWORD', code));
      }
      if (!found) throw new UserNotFoundException('Username/client id combination not found.');
      throw new NotAuthorizedException('User is disabled.');
    }

    const outcome = await deps.store.transaction(async (tx) => {
      const check = await checkCode(tx, deps, found, 'FORGOT_PASSWORD', code);
      if (!check.ok) return check;
      // The code reached the user's verified address: that confirms an UNCONFIRMED user
      // and ends RESET_REQUIRED / FORCE_CHANGE_PASSWORD. Sessions stay as they are —
      // Cognito does not sign anyone out on a reset (GlobalSignOut does that).
      await tx.users.updateUser(found.sub, {
        passwordHash,
        status: 'CONFIRMED',
        failedSignIns: 0,
        lockedUntilMs: 0,
        temporaryPasswordIssuedAtMs: null,
        updatedAtMs: deps.clock.nowMs(),
      });
      return check;
    });
    if (!outcome.ok) throw outcome.error;
    return {};
  },
};
