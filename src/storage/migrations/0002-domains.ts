import type { Kysely } from 'kysely';

// Sending identities (issue 3): one row per From domain, and its DKIM keys.
// Portable types only: text, integer, bigint. Times are epoch milliseconds in bigint.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sending_domains')
    .addColumn('domain', 'text', (c) => c.primaryKey())
    .addColumn('mail_from_domain', 'text')
    .addColumn('behavior_on_mx_failure', 'text', (c) => c.notNull())
    .addColumn('dkim_mode', 'text', (c) => c.notNull())
    .addColumn('dkim_status', 'text', (c) => c.notNull())
    .addColumn('dkim_reason', 'text')
    .addColumn('mail_from_status', 'text', (c) => c.notNull())
    .addColumn('mail_from_reason', 'text')
    .addColumn('spf_status', 'text', (c) => c.notNull())
    .addColumn('spf_reason', 'text')
    .addColumn('verification_started_at', 'bigint', (c) => c.notNull())
    .addColumn('last_checked_at', 'bigint')
    .addColumn('next_check_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sending_domains_next_check').on('sending_domains').column('next_check_at').execute();

  await db.schema
    .createTable('dkim_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('domain', 'text', (c) => c.notNull().references('sending_domains.domain').onDelete('cascade'))
    .addColumn('selector', 'text', (c) => c.notNull())
    .addColumn('algorithm', 'text', (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull())
    // AES-256-GCM envelope (domains/keys.ts); the plaintext PEM never reaches the database.
    .addColumn('private_key_encrypted', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('activated_at', 'bigint')
    .addColumn('retired_at', 'bigint')
    .execute();
  await db.schema.createIndex('dkim_keys_domain_selector').on('dkim_keys').columns(['domain', 'selector']).unique().execute();
}
