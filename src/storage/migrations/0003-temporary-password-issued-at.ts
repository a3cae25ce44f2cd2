import type { Kysely } from 'kysely';

// When the current temporary password (AdminCreateUser, its RESEND, AdminSetUserPassword
// with Permanent false) was issued: sign-in refuses it after the pool's
// TemporaryPasswordValidityDays (src/userpool/temporary-password.ts). Null otherwise.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('temp_password_issued_at', 'bigint').execute();
}

