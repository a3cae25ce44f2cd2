import type { Kysely } from 'kysely';

// Every delivery attempt kept whole (issue 8): the SMTP reply code, RFC 3463 enhanced status,
// the command that got the reply, the text, where the message went (MX or relay host, the
// peer's IP, TLS) and how long it took — what the delivery engine and bounce classification
// read. outbox.last_reply keeps only the newest text.
// Portable types only: text, integer, bigint. Times are epoch milliseconds (UTC) in bigint;
// tls is 0/1 in an integer, as users.enabled.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('delivery_attempts')
    .addColumn('outbox_id', 'text', (c) => c.notNull().references('outbox.id').onDelete('cascade'))
    // outbox.attempts of the claim: the lease makes it unique per message.
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('mx_host', 'text')
    .addColumn('remote_ip', 'text')
    .addColumn('tls', 'integer', (c) => c.notNull())
    .addColumn('response_code', 'integer')
    .addColumn('enhanced_status', 'text')
    .addColumn('command', 'text')
    .addColumn('reply_text', 'text', (c) => c.notNull())
    // sent | deferred | failed
    .addColumn('outcome', 'text', (c) => c.notNull())
    // Also the index by message: every read is "this message's attempts, in order".
    .addPrimaryKeyConstraint('delivery_attempts_pk', ['outbox_id', 'attempt'])
    .execute();
}
