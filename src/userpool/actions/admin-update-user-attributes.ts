// AdminUpdateUserAttributes: sets any attribute, including email_verified. A new email
// address is unverified unless the same request says email_verified=true; when the pool
// auto-verifies email, a code goes to the new address (as Cognito does).
// When the pool keeps the current email until a new one is verified (pending-email.ts), an
// admin's change waits for the code as the user's own does, unless the same request says
// email_verified=true (API_AdminUpdateUserAttributes: "To update the value of an attribute
// that requires verification in the same API request, include the email_verified …
// attribute, with a value of true"); email_verified=true alone verifies the pending address.
import type { AdminUpdateUserAttributesRequest, AdminUpdateUserAttributesResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Action } from './types.js';
import type { Wire } from '../wire.js';
import { USERNAME_RULE, USER_POOL_ID_RULE, optionalAttributeList, optionalObject, requireString } from '../validate.js';
import { checkAttributes } from '../attributes.js';
import { userKeys, isEmailAliasPool, isEmailUsernamePool } from '../user-keys.js';
import { requirePool, requireUser } from '../lookups.js';
import { AliasExistsException, InvalidParameterException } from '../errors.js';
import { issueCode } from '../codes.js';
import { claimEmailAlias } from './admin-create-user.js';
import { holdPendingEmail, holdsEmailUntilVerified, switchToPendingEmail } from '../pending-email.js';
import type { UserPool } from '../model.js';

function checkMutable(pool: UserPool, names: string[]): void {
  for (const name of names) {
    const schema = (pool.settings.Schema ?? []).find((s) => s.Name === name || `custom:${s.Name}` === name);
    if (schema?.Mutable === false) throw new InvalidParameterException(`UserAttributes: Cannot modify the non-mutable attribute ${name}`);
  }
}

export const adminUpdateUserAttributes: Action<AdminUpdateUserAttributesRequest, Wire<AdminUpdateUserAttributesResponse>, 'store' | 'clock' | 'random' | 'mail' | 'codeKey'> = {
  name: 'AdminUpdateUserAttributes',
  auth: 'admin',
  category: 'UserResource',
  async run(deps, input) {
    const poolId = requireString(input, 'UserPoolId', USER_POOL_ID_RULE);
    const username = requireString(input, 'Username', USERNAME_RULE);
    const list = optionalAttributeList(input, 'UserAttributes');
    // Required: requireString reports the missing member with AWS's "must not be null".
    if (list === undefined) requireString(input, 'UserAttributes');
    optionalObject(input, 'ClientMetadata');
    const pool = await requirePool(deps.store, poolId);
    const changes = checkAttributes(pool, list ?? [], 'UserAttributes', true);
    checkMutable(pool, Object.keys(changes));

    const sent = await deps.store.transaction(async (tx) => {
      const user = await requireUser(tx, pool, username);
      const before = await tx.users.getAttributes(user.sub);
      const emailChanged = changes.email !== undefined && changes.email !== before.email;
      const pending = user.pendingEmail ?? null;
      if (emailChanged && changes.email_verified !== 'true' && holdsEmailUntilVerified(pool)) {
        // The new address waits for its code; the rest of the request applies now. An
        // email_verified=false in it speaks of the new address, not the current one.
        const { email, email_verified: _unverified, ...rest } = changes;
        await tx.users.setAttributes(pool.id, user.sub, rest);
        await holdPendingEmail(tx, deps, pool, user, email!, isEmailUsernamePool(pool) ? email! : user.username);
        return true;
      }
      if (pending !== null && changes.email === undefined && changes.email_verified === 'true') {
        const { email_verified: _verified, ...rest } = changes;
        await tx.users.setAttributes(pool.id, user.sub, rest);
        await switchToPendingEmail(tx, deps, pool, user, pending);
        return false;
      }
      // Any other change of the email (or the current one given again) drops a pending one.
      if (pending !== null && changes.email !== undefined) {
        await tx.users.updateUser(user.sub, { pendingEmail: null });
        await tx.codes.voidCode(user.sub, 'VERIFY:email');
      }
      const after = { ...before, ...changes };
      if (emailChanged && changes.email_verified === undefined) after.email_verified = 'false';

      const keys = userKeys(pool, user.username, after);
      const newKey = keys.emailKey;
      if (newKey !== null && (emailChanged || changes.email_verified === 'true')) {
        if (isEmailUsernamePool(pool)) {
          const others = (await tx.users.findUsersByEmail(pool.id, newKey)).filter((u) => u.sub !== user.sub);
          if (others.length > 0) throw new AliasExistsException('An account with the given email already exists.');
        } else if (isEmailAliasPool(pool) && after.email_verified === 'true') {
          await claimEmailAlias(tx, pool, newKey, user.sub, false);
        }
      }

      const written = { ...changes };
      if (after.email_verified !== before.email_verified && after.email_verified !== undefined) written.email_verified = after.email_verified;
      await tx.users.setAttributes(pool.id, user.sub, written);
      await tx.users.updateUser(user.sub, { ...keys, updatedAtMs: deps.clock.nowMs() });

      const sendsCode = emailChanged && after.email_verified !== 'true' && (pool.settings.AutoVerifiedAttributes ?? []).includes('email');
      if (emailChanged) {
        // A code mailed to the old address must not verify the new one: an unconfirmed
        // user's sign-up code (ConfirmSignUp verifies the current email) goes, and so does a
        // pending attribute code unless a new one is sent below (which replaces it).
        await tx.codes.voidCode(user.sub, 'SIGN_UP');
        if (!sendsCode) await tx.codes.voidCode(user.sub, 'VERIFY:email');
      }
      if (!sendsCode) return false;
      const code = await issueCode(tx, deps, user, 'VERIFY:email', after.email!);
      const shownName = isEmailUsernamePool(pool) ? after.email! : user.username;
      await deps.mail.enqueue(tx, { pool, sub: user.sub, kind: 'VERIFY_ATTRIBUTE', to: after.email!, username: shownName, code });
      return true;
    });
    if (sent) deps.mail.kick();
    return {};
  },
};
