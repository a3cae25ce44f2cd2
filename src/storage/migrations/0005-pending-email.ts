import type { Kysely } from 'kysely';

// The address a user asked to change to while the pool keeps the original until the new one
// is verified (UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate: email).
// Held beside users' email attribute, not in user_attributes: it is no attribute yet —
// GetUser, ListUsers, the ID token and sign-in all go on using the current email until
// VerifyUserAttribute switches it in (src/userpool/pending-email.ts). Null when none is pending.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('pending_email', 'text').execute();
}
