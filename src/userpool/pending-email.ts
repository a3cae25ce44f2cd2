// An email change held until the new address is verified, when the pool asks for it with
// UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate: ["email"].
//
// UserAttributeUpdateSettingsType: "Amazon Cognito doesn't change the value of the attribute
// until your user responds to the verification message and confirms the new value … You can
// verify an updated email address … with a VerifyUserAttribute API request. You can also call
// the AdminUpdateUserAttributes API and set email_verified … to true." API_UpdateUserAttributes:
// "Your user can sign in and receive messages with the original attribute value until they
// verify the new value." So the new address waits in users.pending_email: the email attribute,
// email_verified, the sign-in keys, GetUser and the ID token keep the current address; the code
// goes to the new one, bound to it (codes.ts, hashCode); the switch happens on that code.
// The code goes whether or not AutoVerifiedAttributes lists email: the setting itself is
// that "Amazon Cognito sends a verification message to the new … email address", and a
// pending address no message reaches could never be switched in by the user.
//
// It is the account-takeover guard: whoever holds a stolen access token cannot move the
// sign-in address (and password-reset mail) to a mailbox of theirs without its code.
//
// Only email: todoku sends no SMS, so a phone_number in the setting has no way to be verified
// by the user; phone numbers still change at once (and unverified), as without the setting.
import type { Ports } from '../ports.js';
import type { Clock } from '../core/clock.js';
import type { Random } from '../core/random.js';
import type { CodeMailer } from './mail-ports.js';
import type { User, UserPool } from './model.js';
import { isEmailAliasPool, isEmailUsernamePool, userKeys } from './user-keys.js';
import { emailKey } from './email.js';
import { AliasExistsException } from './errors.js';
import { issueCode } from './codes.js';

/** Whether the pool keeps the current email until a new one is verified. */
export function holdsEmailUntilVerified(pool: UserPool): boolean {
  return pool.settings.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate.includes('email') ?? false;
}

/**
 * AliasExistsException when `email` is another user's sign-in address: in an email-username
 * pool any holder's, in an email-alias pool a holder that verified it (only a verified email
 * is an alias). Checked when the change is asked for and again when it switches in, since
 * the address may have been taken in between.
 */
export async function requireEmailFree(tx: Ports, pool: UserPool, ownSub: string, email: string): Promise<void> {
  if (!isEmailUsernamePool(pool) && !isEmailAliasPool(pool)) return;
  for (const other of await tx.users.findUsersByEmail(pool.id, emailKey(email))) {
    if (other.sub === ownSub) continue;
    if (isEmailUsernamePool(pool) || (await tx.users.getAttributes(other.sub)).email_verified === 'true') {
      throw new AliasExistsException('An account with the given email already exists.');
    }
  }
}

/**
 * Holds `email` as the user's pending address and mails it a code, in the caller's
 * transaction. A second change replaces the first: its code is replaced too (one live
 * VERIFY:email code per user), and a code mailed to the first address is bound to it.
 * `shownName` is the {username} of the message.
 */
export async function holdPendingEmail(
  tx: Ports,
  deps: { clock: Clock; random: Random; codeKey: Buffer; mail: CodeMailer },
  pool: UserPool,
  user: User,
  email: string,
  shownName: string,
): Promise<void> {
  if (isEmailUsernamePool(pool)) await requireEmailFree(tx, pool, user.sub, email);
  await tx.users.updateUser(user.sub, { pendingEmail: email, updatedAtMs: deps.clock.nowMs() });
  const code = await issueCode(tx, deps, user, 'VERIFY:email', email);
  await deps.mail.enqueue(tx, { pool, sub: user.sub, kind: 'VERIFY_ATTRIBUTE', to: email, username: shownName, code });
}

/**
 * Makes the verified pending address the user's email, in the caller's transaction:
 * email and email_verified=true, the sign-in keys, no pending address. AliasExistsException
 * when another user signs in with it by now.
 */
export async function switchToPendingEmail(tx: Ports, deps: { clock: Clock }, pool: UserPool, user: User, email: string): Promise<void> {
  await requireEmailFree(tx, pool, user.sub, email);
  const attributes = await tx.users.getAttributes(user.sub);
  await tx.users.setAttributes(pool.id, user.sub, { email, email_verified: 'true' });
  await tx.users.updateUser(user.sub, {
    ...userKeys(pool, user.username, { ...attributes, email }),
    pendingEmail: null,
    updatedAtMs: deps.clock.nowMs(),
  });
  // A code still live for the old address must not verify the new one (ConfirmSignUp
  // verifies the current email; a VERIFY:email code is bound to its address anyway).
  await tx.codes.voidCode(user.sub, 'SIGN_UP');
  await tx.codes.voidCode(user.sub, 'VERIFY:email');
}
