// The durable outbox. A message is written in the same transaction as the code it carries;
// delivery workers claim due rows with a lease so a crash loses nothing.

export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'captured' | 'failed';

/**
 * What `subject`, `textBody`, `htmlBody` and `raw` hold as stored. They carry codes and temporary
 * passwords, so the mail stage seals them before enqueueing (mail/queue/bodies.ts) and storage
 * keeps opaque text (issue 13 #2):
 * - `sealed`: each is AES-256-GCM sealed with the mail key (core/seal.ts);
 * - `clear`: a row written before sealing existed, read as it is;
 * - `purged`: delivered and past TODOKU_MAIL_RETENTION_HOURS; the bodies are gone (empty).
 */
export type BodyState = 'clear' | 'sealed' | 'purged';

export interface OutboxMessage {
  id: string;
  poolId: string | null;
  /** The user the mail is for; null for rows written before migration outbox-at-rest. Deleting the user deletes it while queued. */
  userSub?: string | null;
  kind: string;
  envelopeFrom: string;
  recipient: string;
  fromHeader: string;
  subject: string;
  textBody: string;
  htmlBody: string | null;
  raw: string;
  /** How subject and the three bodies are held; absent when enqueued means `clear`. */
  bodyState?: BodyState;
  messageId: string;
  status: OutboxStatus;
  /**
   * Claims so far. Every claim adds one in the statement that takes the lease, so the value a
   * claim returned is that lease's fencing token: a worker whose lease was taken over holds a
   * smaller number, and every write it makes under the lease names it (renewLeases,
   * recordAttempt) and is refused.
   */
  attempts: number;
  nextAttemptAtMs: number;
  leaseOwner: string | null;
  leaseUntilMs: number | null;
  lastReply: string | null;
  createdAtMs: number;
  updatedAtMs: number;
}

/**
 * What one attempt came to for the message: `sent` (a server, or capture, took it), `deferred`
 * (tried again later), `failed` (given up: a 5xx, or the retry schedule ran out). The reply code
 * says why; this says what the worker did next.
 */
export type AttemptOutcome = 'sent' | 'deferred' | 'failed';

/**
 * One delivery attempt, kept whole for the delivery engine and bounce classification: the
 * reply code, RFC 3463 enhanced status and text as the server sent them, the command that got
 * the reply, where it was sent and how. One row per claim of the message.
 */
export interface DeliveryAttempt {
  /** The outbox message (OutboxMessage.id, not its Message-ID header). */
  outboxId: string;
  /** OutboxMessage.attempts of the claim that made this attempt: 1 for the first. */
  attempt: number;
  startedAtMs: number;
  durationMs: number;
  /** The host the message was handed to: the MX host, or the relay (smarthost); null for capture. */
  mxHost: string | null;
  /** The peer's IP address as the connection saw it; null when no connection was made. */
  remoteIp: string | null;
  /** True when the reply came over TLS (implicit or after STARTTLS). */
  tls: boolean;
  /** RFC 5321 §4.2 reply code; null when no reply came (refused, timed out, TLS failure). */
  responseCode: number | null;
  /** RFC 3463 enhanced status code (`5.1.1`), when the server gave one. */
  enhancedStatus: string | null;
  /** The command the reply answered: `CONN`, `EHLO`, `MAIL FROM`, `RCPT TO`, `DATA`…, `capture`; null when unknown. */
  command: string | null;
  /** The reply as the server sent it (code first), or why there was none. */
  text: string;
  outcome: AttemptOutcome;
}

/** A lease as its holder names it: the message and the `attempts` its claim returned. */
export interface LeaseToken {
  id: string;
  attempt: number;
}

/** The message's state after an attempt. */
export interface MessageState {
  status: OutboxStatus;
  reply: string | null;
  nextAttemptAtMs?: number;
}

export interface OutboxPort {
  enqueue(message: OutboxMessage): Promise<void>;
  findMessage(id: string): Promise<OutboxMessage | undefined>;
  /** Newest first; all recipients when `recipient` is undefined. */
  listMessages(recipient: string | undefined, limit: number): Promise<OutboxMessage[]>;
  /** Leases up to `limit` due messages (queued, or sending with an expired lease). */
  claimDueMessages(owner: string, nowMs: number, leaseMs: number, limit: number): Promise<OutboxMessage[]>;
  /**
   * Extends to `nowMs + leaseMs` the leases `owner` still holds, each named by its fencing token
   * (the message's `attempts` when claimed); returns the ids it still holds. A lease that ran
   * out is renewed as long as nobody claimed the message since: the token says so.
   */
  renewLeases(owner: string, leases: readonly LeaseToken[], nowMs: number, leaseMs: number): Promise<string[]>;
  /** Final state after an attempt; only applies while `owner` holds the lease. */
  completeAttempt(
    id: string,
    owner: string,
    outcome: { status: OutboxStatus; reply: string | null; nextAttemptAtMs?: number },
    nowMs: number,
  ): Promise<boolean>;
  /**
   * Records an attempt and the message's new state in one transaction: a crash keeps both or
   * neither. The state applies only while `owner` holds the lease of claim `attempt.attempt`
   * (the fencing token; returns whether it did); the
   * attempt is recorded either way — it happened, and a late 250 explains a duplicate.
   */
  recordAttempt(attempt: DeliveryAttempt, owner: string, state: MessageState, nowMs: number): Promise<boolean>;
  /** The message's attempts, oldest first. */
  listAttempts(outboxId: string): Promise<DeliveryAttempt[]>;
  /**
   * Empties subject and bodies (bodyState `purged`) of messages done — sent, captured or
   * failed — whose last change is before `doneBeforeMs`; the row and its attempts stay.
   * Returns how many were purged.
   */
  purgeBodies(doneBeforeMs: number): Promise<number>;
}
