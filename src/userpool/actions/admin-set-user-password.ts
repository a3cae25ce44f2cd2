// AdminSetUserPassword: Permanent → CONFIRMED with that password; otherwise the password is
// temporary (FORCE_CHANGE_PASSWORD, valid for TemporaryPasswordValidityDays).
import type { AdminSetUserPasswordRequest, AdminSetUserPasswordResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Action } from './types.js';
import type { Wire } from '../wire.js';
import { PASSWORD_RULE, USERNAME_RULE, USER_POOL_ID_RULE, optionalBoolean, requireString } from '../validate.js';
import { requirePool, requireUser } from '../lookups.js';
import { checkPasswordPolicy } from '../passwords.js';

export const adminSetUserPassword: Action<AdminSetUserPasswordRequest, Wire<AdminSetUserPasswordResponse>, 'store' | 'clock' | 'passwords'> = {
  name: 'AdminSetUserPassword',
  auth: 'admin',
  category: 'UserResource',
  async run(deps, input) {
    const poolId = requireString(input, 'UserPoolId', USER_POOL_ID_RULE);
    const username = requireString(input, 'Username', USERNAME_RULE);
    const password = requireString(input, 'Password', PASSWORD_RULE);
    const permanent = optionalBoolean(input, 'Permanent') ?? false;
    const pool = await requirePool(deps.store, poolId);
    // Find the user before hashing: an unknown user should not cost an argon2 run.
    await requireUser(deps.store, pool, username);
    checkPasswordPolicy(password, pool.settings.Policies.PasswordPolicy);
    const passwordHash = await deps.passwords.hash(password);

    await deps.store.transaction(async (tx) => {
      const user = await requireUser(tx, pool, username);
      const nowMs = deps.clock.nowMs();
      await tx.users.updateUser(user.sub, {
        passwordHash,
        status: permanent ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD',
        temporaryPasswordIssuedAtMs: permanent ? null : nowMs,
        updatedAtMs: nowMs,
      });
      if (permanent) {
        // A pending reset is settled by the new password.
        await tx.codes.voidCode(user.sub, 'FORGOT_PASSWORD');
      }
    });
    return {};
  },
};
