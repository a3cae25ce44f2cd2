import type { VerifyUserAttributeRequest, VerifyUserAttributeResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Action } from './types.js';
import type { Wire } from '../wire.js';
import { CODE_RULE, requireString } from '../validate.js';
import { accessFromInput, requireUserAdminScope } from '../access.js';
import { isEmailAliasPool } from '../user-keys.js';
import { AliasExistsException, InvalidParameterException } from '../errors.js';
import { checkCode } from '../codes.js';
import { switchToPendingEmail } from '../pending-email.js';
import { ATTRIBUTE_NAME_RULE } from './get-user-attribute-verification-code.js';

export const verifyUserAttribute: Action<VerifyUserAttributeRequest, Wire<VerifyUserAttributeResponse>, 'config' | 'store' | 'clock' | 'tokens' | 'codeKey'> = {
  name: 'VerifyUserAttribute',
  auth: 'public',
  category: 'UserAccount',
  async run(deps, input) {
    const attributeName = requireString(input, 'AttributeName', ATTRIBUTE_NAME_RULE);
    const code = requireString(input, 'Code', CODE_RULE);
    const { claims, pool, user } = await accessFromInput(deps, input);
    requireUserAdminScope(claims);
    if (attributeName !== 'email' && attributeName !== 'phone_number') {
      throw new InvalidParameterException(`AttributeName: ${attributeName} is not an attribute that can be verified (email or phone_number).`);
    }

    const outcome = await deps.store.transaction(async (tx) => {
      const fresh = (await tx.users.findUserBySub(pool.id, user.sub)) ?? user;
      // An email waiting for verification (pending-email.ts) is what the code was mailed to.
      const pending = attributeName === 'email' ? (fresh.pendingEmail ?? null) : null;
      // Checked against the value held now: a code mailed to a previous value does not match.
      const current = pending ?? (await tx.users.getAttributes(user.sub))[attributeName] ?? null;
      const check = await checkCode(tx, deps, user, `VERIFY:${attributeName}`, code, current);
      if (!check.ok) return check;
      if (pending !== null) {
        await switchToPendingEmail(tx, deps, pool, fresh, pending);
        return check;
      }
      if (attributeName === 'email' && isEmailAliasPool(pool) && fresh.emailKey !== null) {
        // A verified email is a sign-in alias, which only one user may hold.
        for (const other of await tx.users.findUsersByEmail(pool.id, fresh.emailKey)) {
          if (other.sub !== user.sub && (await tx.users.getAttributes(other.sub)).email_verified === 'true') {
            throw new AliasExistsException('An account with the email already exists.');
          }
        }
      }
      await tx.users.setAttributes(pool.id, user.sub, { [`${attributeName}_verified`]: 'true' });
      await tx.users.updateUser(user.sub, { updatedAtMs: deps.clock.nowMs() });
      return check;
    });
    if (!outcome.ok) throw outcome.error;
    return {};
  },
};
