// Claims due outbox rows with a lease, hands each to the transport, records the reply.
// A crash between claim and completion leaves the row 'sending' with a lease that runs
// out, after which any worker claims it again: at-least-once, nothing lost.
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { OutboxPort } from '../queue/ports.js';
import { nextAttemptAt } from '../queue/schedule.js';
import type { Transport } from './transport.js';

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
        const outcome = await this.o.transport.send(message).catch((err: unknown) => ({
          kind: 'temporary' as const,
          reply: `transport error: ${err instanceof Error ? err.message : String(err)}`,
        }));
        const doneAt = this.o.clock.nowMs();
        if (outcome.kind === 'temporary') {
          const retryAt = nextAttemptAt(message.attempts, message.createdAtMs, doneAt);
          await this.o.outbox.completeAttempt(
            message.id,
            this.o.owner,
            retryAt === undefined ? { status: 'failed', reply: outcome.reply } : { status: 'queued', reply: outcome.reply, nextAttemptAtMs: retryAt },
            doneAt,
          );
        } else {
          const status = outcome.kind === 'delivered' ? 'sent' : outcome.kind === 'captured' ? 'captured' : 'failed';
          await this.o.outbox.completeAttempt(message.id, this.o.owner, { status, reply: outcome.reply }, doneAt);
        }
        // One line per message: recipient and kind, never the body or the subject (a pool's
        // template may put the code or temporary password in either).
        this.o.log.info({ mailId: message.id, to: message.recipient, kind: message.kind, result: outcome.kind, reply: outcome.reply }, `mail ${outcome.kind}`);
        total++;
      }
    }
  }
}
