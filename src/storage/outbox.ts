import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, DeliveryAttemptTable, OutboxTable } from './schema.js';
import type { Dialect } from './database.js';
import type { AttemptOutcome, BodyState, DeliveryAttempt, LeaseToken, MessageState, OutboxMessage, OutboxPort, OutboxStatus } from '../mail/queue/ports.js';

type Db = Kysely<Database>;

function toMessage(row: Selectable<OutboxTable>): OutboxMessage {
  return {
    id: row.id,
    poolId: row.pool_id,
    userSub: row.user_sub,
    kind: row.kind,
    envelopeFrom: row.envelope_from,
    recipient: row.recipient,
    fromHeader: row.from_header,
    subject: row.subject,
    textBody: row.text_body,
    htmlBody: row.html_body,
    raw: row.raw,
    bodyState: row.body_state as BodyState,
    messageId: row.message_id,
    status: row.status as OutboxStatus,
    attempts: Number(row.attempts),
    nextAttemptAtMs: Number(row.next_attempt_at),
    leaseOwner: row.lease_owner,
    leaseUntilMs: row.lease_until === null ? null : Number(row.lease_until),
    lastReply: row.last_reply,
    createdAtMs: Number(row.created_at),
    updatedAtMs: Number(row.updated_at),
  };
}

function toAttempt(row: Selectable<DeliveryAttemptTable>): DeliveryAttempt {
  return {
    outboxId: row.outbox_id,
    attempt: Number(row.attempt),
    startedAtMs: Number(row.started_at),
    durationMs: Number(row.duration_ms),
    mxHost: row.mx_host,
    remoteIp: row.remote_ip,
    tls: Number(row.tls) === 1,
    responseCode: row.response_code === null ? null : Number(row.response_code),
    enhancedStatus: row.enhanced_status,
    command: row.command,
    text: row.reply_text,
    outcome: row.outcome as AttemptOutcome,
  };
}

/**
 * Sets a message's state after an attempt, while `owner` holds its lease — of claim `attempt`
 * when given (the fencing token): the same owner's older claim of the message is stale too.
 */
async function applyState(db: Db, id: string, owner: string, state: MessageState, nowMs: number, attempt?: number): Promise<boolean> {
  let q = db
    .updateTable('outbox')
    .set({
      status: state.status,
      last_reply: state.reply,
      lease_owner: null,
      lease_until: null,
      updated_at: nowMs,
      ...(state.nextAttemptAtMs !== undefined ? { next_attempt_at: state.nextAttemptAtMs } : {}),
    })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .where('lease_owner', '=', owner);
  if (attempt !== undefined) q = q.where('attempts', '=', attempt);
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export class SqlOutbox implements OutboxPort {
  constructor(
    private readonly db: Db,
    private readonly dialect: Dialect,
  ) {}

  async enqueue(m: OutboxMessage): Promise<void> {
    await this.db
      .insertInto('outbox')
      .values({
        id: m.id,
        pool_id: m.poolId,
        user_sub: m.userSub ?? null,
        kind: m.kind,
        envelope_from: m.envelopeFrom,
        recipient: m.recipient,
        from_header: m.fromHeader,
        subject: m.subject,
        text_body: m.textBody,
        html_body: m.htmlBody,
        raw: m.raw,
        body_state: m.bodyState ?? 'clear',
        message_id: m.messageId,
        status: m.status,
        attempts: m.attempts,
        next_attempt_at: m.nextAttemptAtMs,
        lease_owner: m.leaseOwner,
        lease_until: m.leaseUntilMs,
        last_reply: m.lastReply,
        created_at: m.createdAtMs,
        updated_at: m.updatedAtMs,
      })
      .execute();
  }

  async findMessage(id: string): Promise<OutboxMessage | undefined> {
    const row = await this.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toMessage(row) : undefined;
  }

  async listMessages(recipient: string | undefined, limit: number): Promise<OutboxMessage[]> {
    let q = this.db.selectFrom('outbox').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit);
    // A developer's lookup, so the whole address matches case-insensitively. The domain is
    // case-insensitive by RFC 5321 §2.4; the local part is case-sensitive there in principle, but
    // no mailbox we know of treats Hanako@ and hanako@ as two people, and a lookup that misses
    // because the app lowercased the address is the worse surprise. lower() is ASCII-only on
    // SQLite: non-ASCII letters must match as typed.
    if (recipient !== undefined) q = q.where(sql`lower(recipient)`, '=', recipient.replace(/[A-Z]+/g, (c) => c.toLowerCase()));
    return (await q.execute()).map(toMessage);
  }

  async claimDueMessages(owner: string, nowMs: number, leaseMs: number, limit: number): Promise<OutboxMessage[]> {
    const due = this.db
      .selectFrom('outbox')
      .select('id')
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'queued'), eb('next_attempt_at', '<=', nowMs)]),
          // A worker that died mid-attempt: its lease runs out and the message is due again.
          eb.and([eb('status', '=', 'sending'), eb('lease_until', '<', nowMs)]),
        ]),
      )
      .orderBy('next_attempt_at')
      .limit(limit);
    // PostgreSQL: several processes claim at once without taking each other's rows.
    // SQLite: the write transaction already serialises claimers.
    const ids = this.dialect === 'postgres' ? due.modifyEnd(sql`for update skip locked`) : due;
    const rows = await this.db
      .updateTable('outbox')
      .set((eb) => ({ status: 'sending', lease_owner: owner, lease_until: nowMs + leaseMs, attempts: eb('attempts', '+', 1), updated_at: nowMs }))
      .where('id', 'in', ids)
      .returningAll()
      .execute();
    return rows.map(toMessage);
  }

  async renewLeases(owner: string, leases: readonly LeaseToken[], nowMs: number, leaseMs: number): Promise<string[]> {
    if (leases.length === 0) return [];
    const rows = await this.db
      .updateTable('outbox')
      .set({ lease_until: nowMs + leaseMs, updated_at: nowMs })
      .where('status', '=', 'sending')
      .where('lease_owner', '=', owner)
      .where((eb) => eb.or(leases.map((l) => eb.and([eb('id', '=', l.id), eb('attempts', '=', l.attempt)]))))
      .returning('id')
      .execute();
    return rows.map((r) => r.id);
  }

  async completeAttempt(id: string, owner: string, outcome: MessageState, nowMs: number): Promise<boolean> {
    return applyState(this.db, id, owner, outcome, nowMs);
  }

  async recordAttempt(a: DeliveryAttempt, owner: string, state: MessageState, nowMs: number): Promise<boolean> {
    const write = async (db: Db): Promise<boolean> => {
      // The state first: on SQLite the first statement takes the write lock, so nothing is
      // read under a lock that has to be upgraded.
      const applied = await applyState(db, a.outboxId, owner, state, nowMs, a.attempt);
      await db
        .insertInto('delivery_attempts')
        .values({
          outbox_id: a.outboxId,
          attempt: a.attempt,
          started_at: a.startedAtMs,
          duration_ms: a.durationMs,
          mx_host: a.mxHost,
          remote_ip: a.remoteIp,
          tls: a.tls ? 1 : 0,
          response_code: a.responseCode,
          enhanced_status: a.enhancedStatus,
          command: a.command,
          reply_text: a.text,
          outcome: a.outcome,
        })
        .execute();
      return applied;
    };
    // Inside a caller's transaction (Ports handed to store.transaction) it is already atomic.
    return this.db.isTransaction ? write(this.db) : this.db.transaction().execute(write);
  }

  async purgeBodies(doneBeforeMs: number): Promise<number> {
    const result = await this.db
      .updateTable('outbox')
      .set({ subject: '', text_body: '', html_body: null, raw: '', body_state: 'purged' })
      .where('status', 'in', ['sent', 'captured', 'failed'])
      .where('body_state', '<>', 'purged')
      // updated_at is the last state change: for a finished message, when it finished.
      .where('updated_at', '<', doneBeforeMs)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async listAttempts(outboxId: string): Promise<DeliveryAttempt[]> {
    const rows = await this.db.selectFrom('delivery_attempts').selectAll().where('outbox_id', '=', outboxId).orderBy('attempt').execute();
    return rows.map(toAttempt);
  }
}
