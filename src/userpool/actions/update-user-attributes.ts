import type { UpdateUserAttributesRequest, UpdateUserAttributesResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Action } from './types.js';
import type { Wire } from '../wire.js';
import { optionalAttributeList, optionalObject } from '../validate.js';
import { accessFromInput, requireUserAdminScope } from '../access.js';
import { checkAttributes, requireClientMayWrite } from '../attributes.js';
import { codeDeliveryDetails } from '../code-delivery.js';
import { isEmailUsernamePool, userKeys } from '../user-keys.js';
import { AliasExistsException, InvalidParameterException } from '../errors.js';
import { countCodeSend, issueCode } from '../codes.js';
import { holdPendingEmail, holdsEmailUntilVerified } from '../pending-email.js';
import type { Attributes, UserPool } from '../model.js';

/** The schema entry of an attribute, custom ones named with or without their `custom:` prefix. */
function schemaEntry(pool: UserPool, name: string) {
  const bare = name.startsWith('custom:') ? name.slice(7) : name;
  return (pool.settings.Schema ?? []).find((s) => s.Name === name || s.Name === bare);
}

export const updateUserAttributes: Action<UpdateUserAttributesRequest, Wire<UpdateUserAttributesResponse>, 'config' | 'store' | 'clock' | 'random' | 'tokens' | 'mail' | 'codeKey'> = {
  name: 'UpdateUserAttributes',
  auth: 'public',
  category: 'UserAccount',
  async run(deps, input) {
    const list = optionalAttributeList(input, 'UserAttributes');
    if (list === undefined) {
      throw new InvalidParameterException("1 validation error detected: Value null at 'UserAttributes' failed to satisfy constraint: Member must not be null");
    }
    optionalObject(input, 'ClientMetadata');
    const { claims, pool, user } = await accessFromInput(deps, input);
    requireUserAdminScope(claims);
    const changes = checkAttributes(pool, list, 'UserAttributes', false);

    const client = await deps.store.clients.findClient(claims.client_id);
    if (client) requireClientMayWrite(client, Object.keys(changes));
    // One transaction reads the current attributes, decides and writes, as every action does.
    const sent = await deps.store.transaction(async (tx) => {
      const current = await tx.users.getAttributes(user.sub);
      for (const name of Object.keys(changes)) {
        // Immutable attributes are set once, at sign-up or creation.
        if (schemaEntry(pool, name)?.Mutable === false && current[name] !== undefined && current[name] !== changes[name]) {
          throw new InvalidParameterException(`UserAttributes: cannot modify the immutable attribute ${name}.`);
        }
      }

      const patch: Attributes = { ...changes };
      const emailChanged = changes.email !== undefined && changes.email !== current.email;
      // The pool keeps the current address until the new one is verified (pending-email.ts).
      const holdsEmail = emailChanged && holdsEmailUntilVerified(pool);
      if (holdsEmail) delete patch.email;
      // A new address or number is unproven until its code is entered (VerifyUserAttribute).
      else if (emailChanged) patch.email_verified = 'false';
      if (changes.phone_number !== undefined && changes.phone_number !== current.phone_number) patch.phone_number_verified = 'false';
      const sendsCode = holdsEmail || (emailChanged && (pool.settings.AutoVerifiedAttributes ?? []).includes('email'));
      const keys = userKeys(pool, user.username, { ...current, ...patch });
      const newEmailKey = userKeys(pool, user.username, { ...current, ...changes }).emailKey;
      if (sendsCode) await countCodeSend({ ...deps, store: tx }, user.sub);

      if (emailChanged && isEmailUsernamePool(pool) && newEmailKey !== null) {
        // The email is the sign-in name here, so it stays unique.
        const holders = await tx.users.findUsersByEmail(pool.id, newEmailKey);
        if (holders.some((u) => u.sub !== user.sub)) throw new AliasExistsException('An account with the given email already exists.');
      }
      // A change that applies at once, or the current address given again, drops a pending one.
      const dropsPending = changes.email !== undefined && !holdsEmail && ((await tx.users.findUserBySub(pool.id, user.sub))?.pendingEmail ?? null) !== null;
      await tx.users.setAttributes(pool.id, user.sub, patch);
      await tx.users.updateUser(user.sub, { ...keys, updatedAtMs: deps.clock.nowMs(), ...(dropsPending ? { pendingEmail: null } : {}) });
      if ((emailChanged && !sendsCode) || (dropsPending && !emailChanged)) {
        // A code sent for the old (or the dropped) address must not verify another; a new code replaces it anyway.
        await tx.codes.voidCode(user.sub, 'VERIFY:email');
      }
      if (holdsEmail) {
        await holdPendingEmail(tx, deps, pool, user, changes.email!, user.username);
      } else if (sendsCode) {
        const code = await issueCode(tx, deps, user, 'VERIFY:email', changes.email!);
        await deps.mail.enqueue(tx, { pool, sub: user.sub, kind: 'VERIFY_ATTRIBUTE', to: changes.email!, username: user.username, code });
      }
      return sendsCode;
    });
    if (sent) deps.mail.kick();
    return sent ? { CodeDeliveryDetailsList: [codeDeliveryDetails(changes.email!)] } : {};
  },
};
