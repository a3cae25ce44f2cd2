import type { ResendConfirmationCodeRequest, ResendConfirmationCodeResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Action } from './types.js';
import type { Wire } from '../wire.js';
import { codeDeliveryDetails } from '../code-delivery.js';
import { usernameKey } from '../user-keys.js';
import { readClientUserFields } from '../validate.js';
import { resolveClientUser } from '../lookups.js';
import { InvalidParameterException, NotAuthorizedException, UserNotFoundException } from '../errors.js';
import { countCodeSend, hidesUserExistence, issueCode, simulatedCodeDeliveryDetails } from '../codes.js';

export const resendConfirmationCode: Action<ResendConfirmationCodeRequest, Wire<ResendConfirmationCodeResponse>, 'config' | 'store' | 'clock' | 'random' | 'mail' | 'codeKey'> = {
  name: 'ResendConfirmationCode',
  auth: 'public',
  category: 'AccountRecovery',
  async run(deps, input) {
    const fields = readClientUserFields(input);
    const { username } = fields;

    const { client, pool, found } = await resolveClientUser(deps.store, fields);
    const hide = hidesUserExistence(client);
    const autoVerifiesEmail = (pool.settings.AutoVerifiedAttributes ?? []).includes('email');
    // The pool's setting says nothing about the user: refused alike for every name.
    if (hide && !autoVerifiesEmail) throw new InvalidParameterException('Cannot resend codes. Auto verification not turned on.');
    const email = found ? (await deps.store.users.getAttributes(found.sub)).email : undefined;
    // Cognito (PreventUserExistenceErrors): "returns CodeDeliveryDetails for a disabled
    // user or a user that doesn't exist" — and sends nothing. todoku answers so too for a
    // user with nothing to confirm (already confirmed, no email): only a real user could
    // get another answer (issue 13 #7).
    if (hide && (!found || !found.enabled || found.status !== 'UNCONFIRMED' || email === undefined)) {
      await countCodeSend(deps, `${pool.id}:${usernameKey(pool, username)}`);
      return { CodeDeliveryDetails: email !== undefined ? codeDeliveryDetails(email) : simulatedCodeDeliveryDetails(deps.codeKey, pool.id, username) };
    }
    if (!found) throw new UserNotFoundException('Username/client id combination not found.');
    if (!found.enabled) throw new NotAuthorizedException('User is disabled.');
    if (found.status !== 'UNCONFIRMED') throw new InvalidParameterException('User is already confirmed.');
    if (!autoVerifiesEmail) throw new InvalidParameterException('Cannot resend codes. Auto verification not turned on.');
    if (email === undefined) throw new InvalidParameterException('Cannot resend codes: the user has no email attribute to send them to.');
    await countCodeSend(deps, found.sub);

    await deps.store.transaction(async (tx) => {
      const code = await issueCode(tx, deps, found, 'SIGN_UP');
      await deps.mail.enqueue(tx, { pool, sub: found.sub, kind: 'RESEND', to: email, username: found.username, code });
    });
    deps.mail.kick();
    return { CodeDeliveryDetails: codeDeliveryDetails(email) };
  },
};
