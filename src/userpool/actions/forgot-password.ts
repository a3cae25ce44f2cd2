import type { ForgotPasswordRequest, ForgotPasswordResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Action } from './types.js';
import type { Wire } from '../wire.js';

import { codeDeliveryDetails } from '../code-delivery.js';
import { usernameKey } from '../user-keys.js';
import { readClientUserFields } from '../validate.js';
import { resolveClientUser } from '../lookups.js';
import { InvalidParameterException, NotAuthorizedException, UserNotFoundException } from '../errors.js';
import { countCodeSend, hidesUserExistence, issueCode, simulatedCodeDeliveryDetails } from '../codes.js';
import type { UserPool } from '../model.js';

/**
 * Whether the pool lets users recover by email. Without AccountRecoverySetting Cognito
 * uses a verified phone first, then a verified email; todoku sends no SMS, so email is
 * the only mechanism either way. `admin_only` turns self-service recovery off.
 */
function recoveryByEmail(pool: UserPool): 'email' | 'admin_only' | 'none' {
  const mechanisms = pool.settings.AccountRecoverySetting?.RecoveryMechanisms;
  if (!mechanisms || mechanisms.length === 0) return 'email';
  if (mechanisms.some((m) => m.Name === 'admin_only')) return 'admin_only';
  return mechanisms.some((m) => m.Name === 'verified_email') ? 'email' : 'none';
}

export const forgotPassword: Action<ForgotPasswordRequest, Wire<ForgotPasswordResponse>, 'config' | 'store' | 'clock' | 'random' | 'mail' | 'codeKey'> = {
  name: 'ForgotPassword',
  auth: 'public',
  category: 'AccountRecovery',
  async run(deps, input) {
    const fields = readClientUserFields(input);
    const { username } = fields;

    const { client, pool, found } = await resolveClientUser(deps.store, fields);
    const recovery = recoveryByEmail(pool);
    if (recovery === 'admin_only') throw new NotAuthorizedException('Password reset is not allowed for this user pool: account recovery is admin_only.');

    const attributes = found ? await deps.store.users.getAttributes(found.sub) : {};
    const email = attributes.email;
    const deliverable = recovery === 'email' && email !== undefined && attributes.email_verified === 'true';
    const hide = hidesUserExistence(client);
    // Cognito (PreventUserExistenceErrors): "When a user isn't found, is deactivated, or
    // doesn't have a verified delivery mechanism", a simulated CodeDeliveryDetails — and
    // nothing is sent.
    if (hide && (!found || !found.enabled || !deliverable)) {
      await countCodeSend(deps, found ? found.sub : `${pool.id}:${usernameKey(pool, username)}`);
      return { CodeDeliveryDetails: email !== undefined ? codeDeliveryDetails(email) : simulatedCodeDeliveryDetails(deps.codeKey, pool.id, username) };
    }
    if (!found) throw new UserNotFoundException('Username/client id combination not found.');
    if (!found.enabled) throw new NotAuthorizedException('User is disabled.');
    if (found.status === 'FORCE_CHANGE_PASSWORD') {
      // The user has never chosen a password; the invitation's temporary one is the way in.
      throw new NotAuthorizedException('User password cannot be reset in the current state.');
    }
    if (!deliverable) {
      throw new InvalidParameterException('Cannot reset password for the user as there is no registered/verified email or phone_number');
    }
    await countCodeSend(deps, found.sub);

    await deps.store.transaction(async (tx) => {
      const code = await issueCode(tx, deps, found, 'FORGOT_PASSWORD');
      await deps.mail.enqueue(tx, { pool, sub: found.sub, kind: 'FORGOT_PASSWORD', to: email!, username: found.username, code });
    });
    deps.mail.kick();
    return { CodeDeliveryDetails: codeDeliveryDetails(email!) };
  },
};
