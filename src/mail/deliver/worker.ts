// Claims due outbox rows with a lease, hands each to the transport, records the attempt whole
// (outbox.recordAttempt) together with the message's new state, in one transaction.
// A crash between claim and completion leaves the row 'sending' with a lease that runs
// out, after which any worker claims it again: at-least-once, nothing lost.
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { AttemptOutcome, DeliveryAttempt, MessageState, OutboxMessage, OutboxPort } from '../queue/ports.js';
import { nextAttemptAt } from '../queue/schedule.js';
import type { DeliveryOutcome, Transport } from './transport.js';

/**
 * Longest reply text kept per attempt. RFC 5321 §4.5.3.1.5 allows 512 octets per reply line;
 * this keeps a few lines of a multi-line reply, enough to classify it, and bounds the row.
 */
export const ATTEMPT_TEXT_MAX_CHARS = 2000;

/** The message's next state, and what the attempt came to for it. */
function decide(message: OutboxMessage, outcome: DeliveryOutcome, doneAtMs: number): { state: MessageState; result: AttemptOutcome } {
  switch (outcome.kind) {
    case 'temporary': {
      const retryAt = nextAttemptAt(message.attempts, message.createdAtMs, doneAtMs);
      return retryAt === undefined
        ? { state: { status: 'failed', reply: outcome.reply }, result: 'failed' }
        : { state: { status: 'queued', reply: outcome.reply, nextAttemptAtMs: retryAt }, result: 'deferred' };
    }
    case 'delivered':
      return { state: { status: 'sent', reply: outcome.reply }, result: 'sent' };
    case 'captured':
      return { state: { status: 'captured', reply: outcome.reply }, result: 'sent' };
    case 'permanent':
      return { state: { status: 'failed', reply: outcome.reply }, result: 'failed' };
  }
}

export interface WorkerOptions {
  outbox: OutboxPort;
  transport: Transport;
  clock: Clock;
  log: Logger;
  owner: string;
  leaseMs?: number;
  batchSize?: number;
  pollMs?: number;
}

export class DeliveryWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(private readonly o: WorkerOptions) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Runs a pass now (or right after the current one). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.pass(), delayMs);
    this.timer.unref();
  }

  private async pass(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = this.drain().then(
      () => undefined,
      (err: unknown) => this.o.log.error({ err }, 'mail delivery pass failed'),
    );
    await this.running;
    this.running = undefined;
    if (this.stopped) return;
    const again = this.again;
    this.again = false;
    this.schedule(again ? 0 : (this.o.pollMs ?? 1000));
  }

  /** Delivers until nothing is due. Exposed for tests and the CLI. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const now = this.o.clock.nowMs();
      const batch = await this.o.outbox.claimDueMessages(this.o.owner, now, this.o.leaseMs ?? 60_000, this.o.batchSize ?? 20);
      if (batch.length === 0) return total;
      for (const message of batch) {
        const startedAtMs = this.o.clock.nowMs();
        const outcome = await this.o.transport.send(message).catch(
          (err: unknown): DeliveryOutcome => ({
            kind: 'temporary',
            reply: `transport error: ${err instanceof Error ? err.message : String(err)}`,
            responseCode: null,
            enhancedStatus: null,
            command: null,
            mxHost: null,
            remoteIp: null,
            tls: false,
          }),
        );
        const doneAtMs = this.o.clock.nowMs();
        const { state, result } = decide(message, outcome, doneAtMs);
        const attempt: DeliveryAttempt = {
          outboxId: message.id,
          attempt: message.attempts,
          startedAtMs,
          durationMs: Math.max(0, doneAtMs - startedAtMs),
          mxHost: outcome.mxHost,
          remoteIp: outcome.remoteIp,
          tls: outcome.tls,
          responseCode: outcome.responseCode,
          enhancedStatus: outcome.enhancedStatus,
          command: outcome.command,
          text: outcome.reply.slice(0, ATTEMPT_TEXT_MAX_CHARS),
          outcome: result,
        };
        await this.o.outbox.recordAttempt(attempt, this.o.owner, state, doneAtMs);
        // One line per message: recipient and kind, never the body or the subject (a pool's
        // template may put the code or temporary password in either).
        this.o.log.info({ mailId: message.id, to: message.recipient, kind: message.kind, result: outcome.kind, reply: outcome.reply }, `mail ${outcome.kind}`);
        total++;
      }
    }
  }
}
