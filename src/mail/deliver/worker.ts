// Claims due outbox rows with a lease, hands each to the transport, records the attempt whole
// (outbox.recordAttempt) together with the message's new state, in one transaction.
// A crash between claim and completion leaves the row 'sending' with a lease that runs
// out, after which any worker claims it again: at-least-once, nothing lost.
//
// Leases are short and kept alive: while a worker works through a batch, a heartbeat renews
// the leases of the messages it has not finished, and right before each message goes to the
// transport the worker renews that one lease, naming its fencing token (the claim's
// `attempts`), and skips the message when the renewal is refused — another worker claimed it.
// A relay slower than the lease thus no longer gets a message from two workers (issue 13 #8:
// a 60 s lease over a batch of 20 at 4 s each sent 5 of 30 twice), and a crashed worker's
// messages are free again one short lease after its last heartbeat.
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { AttemptOutcome, DeliveryAttempt, LeaseToken, MessageState, OutboxMessage, OutboxPort } from '../queue/ports.js';
import { nextAttemptAt } from '../queue/schedule.js';
import type { DeliveryOutcome, Transport } from './transport.js';
import type { MailBodies } from '../queue/bodies.js';

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

/**
 * How long a claim holds a message without renewal: how soon a crashed worker's messages go
 * to another. Renewed every third of it, so two missed heartbeats still leave it held.
 */
export const DEFAULT_LEASE_MS = 10_000;

export interface WorkerOptions {
  outbox: OutboxPort;
  transport: Transport;
  /** Opens the sealed bodies right before the transport sends them; absent: rows are sent as stored. */
  bodies?: MailBodies;
  clock: Clock;
  log: Logger;
  owner: string;
  /** Lease length (DEFAULT_LEASE_MS); the heartbeat renews it every third of it. */
  leaseMs?: number;
  batchSize?: number;
  pollMs?: number;
  /**
   * Finished messages keep their subject and bodies this long (TODOKU_MAIL_RETENTION_HOURS),
   * then a pass purges them; absent: never purged.
   */
  retentionMs?: number;
  /** At most one purge per this much clock time (PURGE_EVERY_MS). */
  purgeEveryMs?: number;
}

/** How often (clock time) the delivery loop purges bodies past retention: a minute late is nothing against a window of hours. */
export const PURGE_EVERY_MS = 60_000;

export class DeliveryWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private lastPurgeAtMs: number | undefined;

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
    // The purge rides the delivery loop: off the request path, on the injected clock.
    this.running = this.drain()
      .then(() => this.purgeIfDue())
      .then(
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
    const leaseMs = this.o.leaseMs ?? DEFAULT_LEASE_MS;
    let total = 0;
    for (;;) {
      const batch = await this.o.outbox.claimDueMessages(this.o.owner, this.o.clock.nowMs(), leaseMs, this.o.batchSize ?? 20);
      if (batch.length === 0) return total;
      const held = new Map<string, LeaseToken>(batch.map((m) => [m.id, { id: m.id, attempt: m.attempts }]));
      const heartbeat = this.startHeartbeat(held, leaseMs);
      try {
        for (const message of batch) {
          // The fencing check: this renewal names the claim, so it fails once another worker
          // has claimed the message (after our lease ran out while we were stalled or slow).
          const token = held.get(message.id);
          const stillOurs = token ? await this.o.outbox.renewLeases(this.o.owner, [token], this.o.clock.nowMs(), leaseMs) : [];
          if (stillOurs.length === 0) {
            held.delete(message.id);
            this.o.log.warn({ mailId: message.id, attempt: message.attempts }, 'mail lease lost to another worker; not sending');
            continue;
          }
          await this.deliver(message);
          held.delete(message.id);
          total++;
        }
      } finally {
        await heartbeat.stop();
      }
    }
  }

  /** Purges bodies past retention when the last purge is PURGE_EVERY_MS old (by the clock). */
  private async purgeIfDue(): Promise<void> {
    const nowMs = this.o.clock.nowMs();
    if (this.lastPurgeAtMs !== undefined && nowMs - this.lastPurgeAtMs < (this.o.purgeEveryMs ?? PURGE_EVERY_MS)) return;
    this.lastPurgeAtMs = nowMs;
    await this.purge();
  }

  /** Purges subject and bodies of messages finished more than `retentionMs` ago; returns how many. */
  async purge(): Promise<number> {
    if (this.o.retentionMs === undefined) return 0;
    const purged = await this.o.outbox.purgeBodies(this.o.clock.nowMs() - this.o.retentionMs);
    if (purged > 0) this.o.log.info({ purged }, 'mail bodies past retention purged');
    return purged;
  }

  /** Renews the leases in `held` every third of the lease until stopped; drops those lost. */
  private startHeartbeat(held: Map<string, LeaseToken>, leaseMs: number): { stop(): Promise<void> } {
    let beat: Promise<void> = Promise.resolve();
    const timer = setInterval(() => {
      beat = beat.then(async () => {
        const tokens = [...held.values()];
        if (tokens.length === 0) return;
        try {
          const renewed = new Set(await this.o.outbox.renewLeases(this.o.owner, tokens, this.o.clock.nowMs(), leaseMs));
          for (const t of tokens) if (!renewed.has(t.id)) held.delete(t.id);
        } catch (err) {
          // The next beat tries again; the lease has two more beats' worth of time.
          this.o.log.warn({ err }, 'mail lease renewal failed');
        }
      });
    }, Math.max(1, Math.floor(leaseMs / 3)));
    timer.unref();
    return {
      async stop() {
        clearInterval(timer);
        await beat;
      },
    };
  }

  /** The message with readable bodies; a sealed one without the key is never sent as ciphertext. */
  private opened(message: OutboxMessage): OutboxMessage {
    if (this.o.bodies) return this.o.bodies.open(message);
    if (message.bodyState === 'sealed') throw new Error('the message body is sealed and this worker has no mail key');
    return message;
  }

  private async deliver(message: OutboxMessage): Promise<void> {
    const startedAtMs = this.o.clock.nowMs();
    // Opened here, for this send only: the claimed batch in memory stays sealed. A body that
    // does not open (another master secret) is an attempt that failed like a transport error.
    const outcome = await Promise.resolve()
      .then(() => this.o.transport.send(this.opened(message)))
      .catch(
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
  }
}
