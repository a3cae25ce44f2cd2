// The durable outbox. A message is written in the same transaction as the code it carries;
// delivery workers claim due rows with a lease so a crash loses nothing.

export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'captured' | 'failed';

export interface OutboxMessage {
  id: string;
  poolId: string | null;
  kind: string;
  envelopeFrom: string;
  recipient: string;
  fromHeader: string;
  subject: string;
  textBody: string;
  htmlBody: string | null;
  raw: string;
  messageId: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAtMs: number;
  leaseOwner: string | null;
  leaseUntilMs: number | null;
  lastReply: string | null;
  createdAtMs: number;
  updatedAtMs: number;
}

export interface OutboxPort {
  enqueue(message: OutboxMessage): Promise<void>;
  findMessage(id: string): Promise<OutboxMessage | undefined>;
  /** Newest first; all recipients when `recipient` is undefined. */
  listMessages(recipient: string | undefined, limit: number): Promise<OutboxMessage[]>;
  /** Leases up to `limit` due messages (queued, or sending with an expired lease). */
  claimDueMessages(owner: string, nowMs: number, leaseMs: number, limit: number): Promise<OutboxMessage[]>;
  /** Final state after an attempt; only applies while `owner` holds the lease. */
  completeAttempt(
    id: string,
    owner: string,
    outcome: { status: OutboxStatus; reply: string | null; nextAttemptAtMs?: number },
    nowMs: number,
  ): Promise<boolean>;
}
