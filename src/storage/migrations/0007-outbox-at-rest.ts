import type { Kysely } from 'kysely';

// Outbox bodies at rest (issue 13 #2). body_state says what subject, text_body, html_body and
// raw hold: 'sealed' (AES-256-GCM with the mail key, written by the mail stage), 'clear' (rows
// written before this migration — the default, so they are read as they are: a migration
// has no key to seal them with), 'purged' (past the retention window, bodies emptied).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('outbox')
    .addColumn('body_state', 'text', (c) => c.notNull().defaultTo('clear'))
    .execute();
  // The user a mail is for, so deleting the user deletes their queued mail (an address would
  // miss mail to a new, still unverified one). Null on older rows: no user to name.
  await db.schema.alterTable('outbox').addColumn('user_sub', 'text').execute();
  await db.schema.createIndex('outbox_user').on('outbox').columns(['user_sub', 'status']).execute();
}
