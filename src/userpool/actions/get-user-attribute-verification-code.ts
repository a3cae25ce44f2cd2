import type { GetUserAttributeVerificationCodeRequest, GetUserAttributeVerificationCodeResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Action } from './types.js';
import type { Wire } from '../wire.js';
import { optionalObject, requireString } from '../validate.js';
import { accessFromInput, requireUserAdminScope } from '../access.js';
import { codeDeliveryDetails } from '../code-delivery.js';
import { InvalidParameterException } from '../errors.js';
import { countCodeSend, issueCode } from '../codes.js';

/** Cognito's attribute-name pattern for AttributeName. */
export const ATTRIBUTE_NAME_RULE = { max: 32, pattern: /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u, patternText: '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+' };

export const getUserAttributeVerificationCode: Action<GetUserAttributeVerificationCodeRequest, Wire<GetUserAttributeVerificationCodeResponse>, 'config' | 'store' | 'clock' | 'random' | 'tokens' | 'mail' | 'codeKey'> = {
  name: 'GetUserAttributeVerificationCode',
  auth: 'public',
  category: 'UserAccount',
  async run(deps, input) {
    const attributeName = requireString(input, 'AttributeName', ATTRIBUTE_NAME_RULE);
    optionalObject(input, 'ClientMetadata');
    const { claims, pool, user } = await accessFromInput(deps, input);
    requireUserAdminScope(claims);
    if (attributeName === 'phone_number') {
      throw new InvalidParameterException('AttributeName: todoku sends codes by email only, so phone_number cannot be verified.');
    }
    if (attributeName !== 'email') {
      throw new InvalidParameterException(`AttributeName: ${attributeName} is not an attribute that can be verified (email or phone_number).`);
    }

    // The address is read in the transaction that binds the code to it and mails it, so the
    // mail, the binding and the answer name the same address; a change committed after
    // this read leaves the code unable to verify the new address (codes.ts, hashCode).
    const email = await deps.store.transaction(async (tx) => {
      // An address waiting to replace the current one (pending-email.ts) is the one to prove.
      const pending = (await tx.users.findUserBySub(pool.id, user.sub))?.pendingEmail ?? null;
      const current = pending ?? (await tx.users.getAttributes(user.sub)).email;
      if (current === undefined) throw new InvalidParameterException('AttributeName: the user has no email to verify.');
      await countCodeSend({ ...deps, store: tx }, user.sub);
      const code = await issueCode(tx, deps, user, 'VERIFY:email', current);
      await deps.mail.enqueue(tx, { pool, sub: user.sub, kind: 'VERIFY_ATTRIBUTE', to: current, username: user.username, code });
      return current;
    });
    deps.mail.kick();
    return { CodeDeliveryDetails: codeDeliveryDetails(email) };
  },
};
