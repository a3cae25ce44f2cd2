import type { Action } from './types.js';
import { CLIENT_ID_RULE, USERNAME_RULE, optionalObject, optionalString, requireString } from '../validate.js';
import { checkSecretHash, codeDeliveryDetails, findUser, requireClient, usernameKey } from '../common.js';
import { InvalidParameterException, NotAuthorizedException, UserNotFoundException } from '../errors.js';
import { countCodeSend, hidesUserExistence, issueCode, simulatedCodeDeliveryDetails } from '../codes.js';

export const resendConfirmationCode: Action = {
  name: 'ResendConfirmationCode',
  auth: 'public',
  category: 'AccountRecovery',
  async run(deps, input) {
    const clientId = requireString(input, 'ClientId', CLIENT_ID_RULE);
    const username = requireString(input, 'Username', USERNAME_RULE);
    const secretHash = optionalString(input, 'SecretHash', { max: 128 });
    optionalObject(input, 'ClientMetadata');
    optionalObject(input, 'AnalyticsMetadata');
    optionalObject(input, 'UserContextData');

    const { client, pool } = await requireClient(deps.store, clientId);
    const found = await findUser(deps.store, pool, username);
    checkSecretHash(client, secretHash, username, found?.username, found?.sub);
    const hide = hidesUserExistence(client);
    // Cognito (PreventUserExistenceErrors): "returns CodeDeliveryDetails for a disabled
    // user or a user that doesn't exist" — and sends nothing.
    if (!found || (!found.enabled && hide)) {
      if (!hide) throw new UserNotFoundException('Username/client id combination not found.');
      await countCodeSend(deps.store.limits, deps.clock, `${pool.id}:${usernameKey(pool, username)}`);
      return { CodeDeliveryDetails: simulatedCodeDeliveryDetails(deps.codeKey, pool.id, username) };
    }
    if (!found.enabled) throw new NotAuthorizedException('User is disabled.');
    if (found.status !== 'UNCONFIRMED') throw new InvalidParameterException('User is already confirmed.');
    if (!(pool.settings.AutoVerifiedAttributes ?? []).includes('email')) {
      throw new InvalidParameterException('Cannot resend codes. Auto verification not turned on.');
    }
    const email = (await deps.store.users.getAttributes(found.sub)).email;
    if (email === undefined) throw new InvalidParameterException('Cannot resend codes: the user has no email attribute to send them to.');
    await countCodeSend(deps.store.limits, deps.clock, found.sub);

    await deps.store.transaction(async (tx) => {
      const code = await issueCode(tx, deps, found, 'SIGN_UP');
      await deps.mail.enqueue(tx, { pool, kind: 'RESEND', to: email, username: found.username, code });
    });
    deps.mail.kick();
    return { CodeDeliveryDetails: codeDeliveryDetails(email) };
  },
};
