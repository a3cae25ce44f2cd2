// AdminConfirmSignUp: confirms an UNCONFIRMED user without a code. It does not verify
// the email address (Cognito leaves email_verified as it is).
import type { AdminConfirmSignUpRequest, AdminConfirmSignUpResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Action } from './types.js';
import type { Wire } from '../wire.js';
import { USERNAME_RULE, USER_POOL_ID_RULE, optionalObject, requireString } from '../validate.js';
import { requirePool, requireUser } from '../lookups.js';
import { NotAuthorizedException } from '../errors.js';

export const adminConfirmSignUp: Action<AdminConfirmSignUpRequest, Wire<AdminConfirmSignUpResponse>, 'store' | 'clock'> = {
  name: 'AdminConfirmSignUp',
  auth: 'admin',
  category: 'UserCreation',
  async run(deps, input) {
    const poolId = requireString(input, 'UserPoolId', USER_POOL_ID_RULE);
    const username = requireString(input, 'Username', USERNAME_RULE);
    optionalObject(input, 'ClientMetadata');
    const pool = await requirePool(deps.store, poolId);
    await deps.store.transaction(async (tx) => {
      const user = await requireUser(tx, pool, username);
      if (user.status !== 'UNCONFIRMED') {
        throw new NotAuthorizedException(`User cannot be confirmed. Current status is ${user.status}`);
      }
      await tx.users.updateUser(user.sub, { status: 'CONFIRMED', updatedAtMs: deps.clock.nowMs() });
      // The sign-up code the user was mailed must not confirm anything any more.
      await tx.codes.voidCode(user.sub, 'SIGN_UP');
    });
    return {};
  },
};
