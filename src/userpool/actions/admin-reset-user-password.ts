// AdminResetUserPassword: the user's password stops working (RESET_REQUIRED; sign-in answers
// PasswordResetRequiredException) and, when the pool verifies email and the user's address
// is verified, a reset code goes to it for ConfirmForgotPassword (Cognito API reference).
import type { AdminResetUserPasswordRequest, AdminResetUserPasswordResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Action } from './types.js';
import type { Wire } from '../wire.js';
import { USERNAME_RULE, USER_POOL_ID_RULE, optionalObject, requireString } from '../validate.js';
import { isEmailUsernamePool } from '../user-keys.js';
import { requirePool, requireUser } from '../lookups.js';
import { NotAuthorizedException } from '../errors.js';
import { issueCode } from '../codes.js';

export const adminResetUserPassword: Action<AdminResetUserPasswordRequest, Wire<AdminResetUserPasswordResponse>, 'store' | 'clock' | 'random' | 'mail' | 'codeKey'> = {
  name: 'AdminResetUserPassword',
  auth: 'admin',
  category: 'AccountRecovery',
  async run(deps, input) {
    const poolId = requireString(input, 'UserPoolId', USER_POOL_ID_RULE);
    const username = requireString(input, 'Username', USERNAME_RULE);
    optionalObject(input, 'ClientMetadata');
    const pool = await requirePool(deps.store, poolId);
    const emailVerification = (pool.settings.AutoVerifiedAttributes ?? []).includes('email');

    const sent = await deps.store.transaction(async (tx) => {
      const user = await requireUser(tx, pool, username);
      // A user who never set a password has nothing to reset: Cognito refuses.
      if (user.status === 'FORCE_CHANGE_PASSWORD') {
        throw new NotAuthorizedException('User password cannot be reset in the current state.');
      }
      await tx.users.updateUser(user.sub, { status: 'RESET_REQUIRED', updatedAtMs: deps.clock.nowMs() });
      const attributes = await tx.users.getAttributes(user.sub);
      if (!emailVerification || attributes.email === undefined || attributes.email_verified !== 'true') return false;
      const code = await issueCode(tx, deps, user, 'FORGOT_PASSWORD');
      await deps.mail.enqueue(tx, { pool, sub: user.sub, kind: 'FORGOT_PASSWORD', to: attributes.email, username: isEmailUsernamePool(pool) ? attributes.email : user.username, code });
      return true;
    });
    if (sent) deps.mail.kick();
    return {};
  },
};
