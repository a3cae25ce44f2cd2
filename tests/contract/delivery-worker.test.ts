// The delivery worker over a real outbox: outcomes become states, 4xx is retried on the
// schedule, 5xx fails for good, a transport that throws is a temporary failure.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore } from '../helpers/db.js';
import { ManualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { ATTEMPT_TEXT_MAX_CHARS, DeliveryWorker } from '../../src/mail/deliver/worker.js';
import type { DeliveryOutcome, Transport } from '../../src/mail/deliver/transport.js';
import type { OutboxMessage } from '../../src/mail/queue/ports.js';
import { FIRST_RETRY_MS } from '../../src/mail/queue/schedule.js';
import { replyCodes } from '../../src/mail/deliver/reply.js';

/** An outcome as a relay on 127.0.0.1 reports it. */
function answer(kind: DeliveryOutcome['kind'], reply: string, command = 'DATA'): DeliveryOutcome {
  return { kind, reply, ...replyCodes(reply), command, mxHost: 'relay.example.jp', remoteIp: '127.0.0.1', tls: false };
}

function message(id: string, recipient: string, nowMs: number): OutboxMessage {
  return {
    id, poolId: null, kind: 'SIGN_UP', envelopeFrom: 'bounce@bounce.example.jp', recipient, fromHeader: 'no-reply@example.jp',
    subject: 's', textBody: 't', htmlBody: null, raw: 'raw', messageId: `<${id}@example.jp>`, status: 'queued', attempts: 0,
    nextAttemptAtMs: nowMs, leaseOwner: null, leaseUntilMs: null, lastReply: null, createdAtMs: nowMs, updatedAtMs: nowMs,
  };
}

/** Answers by recipient, and records what it was handed. */
class ScriptedTransport implements Transport {
  name = 'scripted';
  sent: string[] = [];
  constructor(private readonly script: Record<string, DeliveryOutcome | Error>) {}
  async send(m: OutboxMessage): Promise<DeliveryOutcome> {
    this.sent.push(m.recipient);
    const r = this.script[m.recipient]!;
    if (r instanceof Error) throw r;
    return r;
  }
}

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('DeliveryWorker', () => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore();
  });
  afterEach(async () => {
    await t.close();
  });

  it('records each reply and retries only temporary failures, on schedule', async () => {
    const clock = new ManualClock(1_800_000_000_000);
    const transport = new ScriptedTransport({
      'ok@example.jp': answer('delivered', '250 2.0.0 queued as X'),
      'busy@example.jp': answer('temporary', '421 4.7.0 try again later', 'MAIL FROM'),
      'gone@docomo.ne.jp': answer('permanent', '550 5.1.1 Unknown user', 'RCPT TO'),
      'broken@example.jp': new Error('ECONNRESET'),
    });
    const recipients = Object.keys((transport as unknown as { script: object }).script);
    for (const [i, r] of recipients.entries()) await t.store.outbox.enqueue(message(id(i + 1), r, clock.nowMs()));
    const worker = new DeliveryWorker({ outbox: t.store.outbox, transport, clock, log: silentLogger, owner: 'w1' });

    expect(await worker.drain()).toBe(4);
    const state = async (n: number) => (await t.store.outbox.findMessage(id(n)))!;
    expect((await state(1)).status).toBe('sent');
    expect((await state(1)).lastReply).toBe('250 2.0.0 queued as X');
    expect((await state(2)).status).toBe('queued');
    expect((await state(2)).nextAttemptAtMs).toBe(clock.nowMs() + FIRST_RETRY_MS);
    expect((await state(3)).status).toBe('failed');
    expect((await state(3)).lastReply).toBe('550 5.1.1 Unknown user');
    expect((await state(4)).status).toBe('queued');
    expect((await state(4)).lastReply).toContain('ECONNRESET');

    // Nothing is due until the retry time comes.
    expect(await worker.drain()).toBe(0);
    clock.advance(FIRST_RETRY_MS);
    expect(await worker.drain()).toBe(2);
    expect((await state(2)).attempts).toBe(2);
    expect(transport.sent.filter((r) => r === 'gone@docomo.ne.jp')).toHaveLength(1);
  });

  it('logs no subject: a pool template may put the code or temporary password there', async () => {
    const clock = new ManualClock(1_800_000_000_000);
    const lines: string[] = [];
    const record = (obj: object, msg?: string) => void lines.push(JSON.stringify({ obj, msg }));
    const log = { info: record, warn: record, error: record, debug: record };
    await t.store.outbox.enqueue({ ...message(id(9), 'code@example.jp', clock.nowMs()), subject: 'Your code is 482913' });
    const transport = new ScriptedTransport({ 'code@example.jp': answer('delivered', '250 ok') });
    await new DeliveryWorker({ outbox: t.store.outbox, transport, clock, log, owner: 'w1' }).drain();
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain('482913');
  });

  it('records every attempt with what it came to, its duration on the clock, and the reply cut to size', async () => {
    const clock = new ManualClock(1_800_000_000_000);
    const start = clock.nowMs();
    const long = `421-4.7.28 ${'x'.repeat(3000)}`;
    const script: Record<string, DeliveryOutcome | Error> = {
      'busy@example.jp': answer('temporary', long, 'MAIL FROM'),
      'gone@docomo.ne.jp': answer('permanent', '550 5.1.1 Unknown user', 'RCPT TO'),
      'broken@example.jp': new Error('ECONNRESET'),
    };
    const transport: Transport = {
      name: 'slow',
      async send(m) {
        clock.advance(750); // the SMTP conversation takes 750 ms on the worker's clock
        const r = script[m.recipient]!;
        if (r instanceof Error) throw r;
        return r;
      },
    };
    for (const [i, r] of Object.keys(script).entries()) await t.store.outbox.enqueue(message(id(i + 1), r, start));
    const worker = new DeliveryWorker({ outbox: t.store.outbox, transport, clock, log: silentLogger, owner: 'w1' });
    await worker.drain();

    const [busy] = await t.store.outbox.listAttempts(id(1));
    expect(busy).toEqual({
      outboxId: id(1), attempt: 1, startedAtMs: expect.any(Number), durationMs: 750, mxHost: 'relay.example.jp', remoteIp: '127.0.0.1', tls: false,
      responseCode: 421, enhancedStatus: '4.7.28', command: 'MAIL FROM', text: long.slice(0, ATTEMPT_TEXT_MAX_CHARS), outcome: 'deferred',
    });
    expect(await t.store.outbox.listAttempts(id(2))).toMatchObject([{ attempt: 1, durationMs: 750, responseCode: 550, enhancedStatus: '5.1.1', command: 'RCPT TO', outcome: 'failed' }]);
    expect(await t.store.outbox.listAttempts(id(3))).toMatchObject([
      { attempt: 1, responseCode: null, enhancedStatus: null, command: null, remoteIp: null, text: expect.stringContaining('ECONNRESET'), outcome: 'deferred' },
    ]);
    // One after the other (in whichever order they were claimed), each started when the last ended.
    const starts = await Promise.all([1, 2, 3].map(async (n) => (await t.store.outbox.listAttempts(id(n)))[0]!.startedAtMs));
    expect(starts.sort()).toEqual([start, start + 750, start + 1500]);

    clock.advance(FIRST_RETRY_MS);
    await worker.drain();
    expect((await t.store.outbox.listAttempts(id(1))).map((a) => [a.attempt, a.outcome])).toEqual([[1, 'deferred'], [2, 'deferred']]);
    expect((await t.store.outbox.listAttempts(id(2))).length).toBe(1);
  });
});
