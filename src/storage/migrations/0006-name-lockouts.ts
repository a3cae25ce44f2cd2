import type { Kysely } from 'kysely';

// The sign-in lockout of names without a user (issue 13 #7): with PreventUserExistenceErrors
// ENABLED, wrong passwords for a name nobody has are counted and locked out as for a user
// (users.failed_sign_ins / locked_until), so "Password attempts exceeded" does not tell which
// names exist. Keyed by pool and normalised name; rows past their quiet period are pruned
// with the rate counters.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('name_lockouts')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failed_sign_ins', 'integer', (c) => c.notNull())
    .addColumn('locked_until', 'bigint', (c) => c.notNull())
    .execute();
}
