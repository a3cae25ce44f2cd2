// Bodies past the retention window (issue 13 #2): finished messages — sent, captured, failed —
// lose subject and bodies once their last change is older than the window; the row and its
// delivery attempts stay. Mail still to be delivered keeps everything. The worker purges on
// the injected clock.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore } from '../helpers/db.js';
import { ManualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { DeliveryWorker } from '../../src/mail/deliver/worker.js';
import { captureTransport } from '../../src/mail/deliver/transport.js';
import type { OutboxMessage, OutboxStatus } from '../../src/mail/queue/ports.js';
import { mailBodies } from '../../src/mail/queue/bodies.js';
import { randomBytes } from 'node:crypto';

const HOUR_MS = 3_600_000;
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function message(n: number, status: OutboxStatus, updatedAtMs: number): OutboxMessage {
  const id = uuid(n);
  return {
    id, poolId: null, kind: 'FORGOT_PASSWORD', envelopeFrom: 'bounce@example.jp', recipient: `user${n}@example.jp`, fromHeader: 'no-reply@example.jp',
    subject: 'code 482913', textBody: 'Your code is 482913', htmlBody: '<p>482913</p>', raw: 'raw 482913', bodyState: 'sealed', messageId: `<${id}@example.jp>`,
    status, attempts: 1, nextAttemptAtMs: updatedAtMs, leaseOwner: status === 'sending' ? 'w' : null, leaseUntilMs: status === 'sending' ? updatedAtMs + 10_000 : null,
    lastReply: null, createdAtMs: updatedAtMs, updatedAtMs,
  };
}

describe('outbox retention', () => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore();
  });
  afterEach(async () => {
    await t.close();
  });

  it('purges the bodies of finished messages older than the cut-off, and only those', async () => {
    const now = 1_800_000_000_000;
    const old = now - 200 * HOUR_MS;
    const statuses: OutboxStatus[] = ['sent', 'captured', 'failed', 'queued', 'sending'];
    for (const [i, s] of statuses.entries()) await t.store.outbox.enqueue(message(i + 1, s, old));
    await t.store.outbox.enqueue(message(6, 'sent', now - HOUR_MS));
    await t.store.outbox.recordAttempt(
      { outboxId: uuid(1), attempt: 1, startedAtMs: old, durationMs: 5, mxHost: 'relay.example.jp', remoteIp: '127.0.0.1', tls: false, responseCode: 250, enhancedStatus: null, command: 'DATA', text: '250 ok', outcome: 'sent' },
      'nobody', { status: 'sent', reply: '250 ok' }, old,
    );

    expect(await t.store.outbox.purgeBodies(now - 168 * HOUR_MS)).toBe(3);
    for (const n of [1, 2, 3]) {
      expect(await t.store.outbox.findMessage(uuid(n))).toMatchObject({ subject: '', textBody: '', htmlBody: null, raw: '', bodyState: 'purged', recipient: `user${n}@example.jp` });
    }
    for (const n of [4, 5, 6]) expect(await t.store.outbox.findMessage(uuid(n))).toMatchObject({ raw: 'raw 482913', bodyState: 'sealed' });
    expect(await t.store.outbox.listAttempts(uuid(1))).toMatchObject([{ attempt: 1, text: '250 ok' }]);
    // Once purged, a row is not purged again.
    expect(await t.store.outbox.purgeBodies(now)).toBe(1);
  });

  it('the worker purges on its clock, once the window has passed', async () => {
    const clock = new ManualClock(1_800_000_000_000);
    const bodies = mailBodies(randomBytes(32));
    await t.store.outbox.enqueue(bodies.seal({ ...message(1, 'queued', clock.nowMs()), attempts: 0, bodyState: 'clear' }));
    const worker = new DeliveryWorker({ outbox: t.store.outbox, transport: captureTransport, bodies, clock, log: silentLogger, owner: 'w1', retentionMs: 168 * HOUR_MS });
    expect(await worker.drain()).toBe(1);
    clock.advance(168 * HOUR_MS);
    expect(await worker.purge()).toBe(0);
    clock.advance(1);
    expect(await worker.purge()).toBe(1);
    expect(await t.store.outbox.findMessage(uuid(1))).toMatchObject({ status: 'captured', bodyState: 'purged', raw: '' });
  });
});
