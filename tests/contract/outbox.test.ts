// OutboxPort contract, on SQLite and PostgreSQL: leases, no double claims across
// processes, crash recovery by lease expiry, completion only by the lease holder.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore } from '../helpers/db.js';
import type { OutboxMessage } from '../../src/mail/queue/ports.js';

function message(id: string, nowMs: number, recipient = 'taro..yamada@docomo.ne.jp'): OutboxMessage {
  return {
    id,
    poolId: null,
    kind: 'SIGN_UP',
    envelopeFrom: 'bounce@example.jp',
    recipient,
    fromHeader: 'no-reply@example.jp',
    subject: 'code',
    textBody: 'text',
    htmlBody: null,
    raw: 'raw',
    messageId: `<${id}@example.jp>`,
    status: 'queued',
    attempts: 0,
    nextAttemptAtMs: nowMs,
    leaseOwner: null,
    leaseUntilMs: null,
    lastReply: null,
    createdAtMs: nowMs,
    updatedAtMs: nowMs,
  };
}

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('OutboxPort', () => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore();
  });
  afterEach(async () => {
    await t.close();
  });

  it('claims due messages once, with a lease, and only the holder completes them', async () => {
    const now = 1_800_000_000_000;
    for (let i = 1; i <= 3; i++) await t.store.outbox.enqueue(message(uuid(i), now));
    await t.store.outbox.enqueue({ ...message(uuid(4), now), nextAttemptAtMs: now + 60_000 });

    const first = await t.store.outbox.claimDueMessages('a', now, 30_000, 10);
    expect(first.map((m) => m.id).sort()).toEqual([uuid(1), uuid(2), uuid(3)]);
    expect(first.every((m) => m.status === 'sending' && m.leaseOwner === 'a' && m.attempts === 1)).toBe(true);
    expect(await t.store.outbox.claimDueMessages('b', now + 1000, 30_000, 10)).toEqual([]);

    expect(await t.store.outbox.completeAttempt(uuid(1), 'b', { status: 'sent', reply: '250 ok' }, now)).toBe(false);
    expect(await t.store.outbox.completeAttempt(uuid(1), 'a', { status: 'sent', reply: '250 ok' }, now)).toBe(true);
    expect((await t.store.outbox.findMessage(uuid(1)))!.status).toBe('sent');
  });

  it('gives a message whose worker died to another worker once the lease runs out', async () => {
    const now = 1_800_000_000_000;
    await t.store.outbox.enqueue(message(uuid(1), now));
    await t.store.outbox.claimDueMessages('dead-worker', now, 30_000, 10);
    expect(await t.store.outbox.claimDueMessages('b', now + 29_000, 30_000, 10)).toEqual([]);
    const again = await t.store.outbox.claimDueMessages('b', now + 31_000, 30_000, 10);
    expect(again.map((m) => [m.id, m.leaseOwner, m.attempts])).toEqual([[uuid(1), 'b', 2]]);
    // The dead worker's late completion is refused: the lease is b's now.
    expect(await t.store.outbox.completeAttempt(uuid(1), 'dead-worker', { status: 'sent', reply: '250' }, now + 32_000)).toBe(false);
  });

  it('never hands one message to two processes claiming at the same time', async () => {
    const now = 1_800_000_000_000;
    for (let i = 1; i <= 40; i++) await t.store.outbox.enqueue(message(uuid(i), now));
    const other = await t.openAnother();
    const claims = await Promise.all([
      t.store.outbox.claimDueMessages('a', now, 30_000, 15),
      other.outbox.claimDueMessages('b', now, 30_000, 15),
      t.store.outbox.claimDueMessages('c', now, 30_000, 15),
    ]);
    const ids = claims.flat().map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(40);
  });

  it('lists captured mail per recipient, newest first', async () => {
    const now = 1_800_000_000_000;
    await t.store.outbox.enqueue(message(uuid(1), now, 'taro.@ezweb.ne.jp'));
    await t.store.outbox.enqueue(message(uuid(2), now + 1, 'taro.@ezweb.ne.jp'));
    await t.store.outbox.enqueue(message(uuid(3), now + 2, 'other@example.jp'));
    expect((await t.store.outbox.listMessages('taro.@ezweb.ne.jp', 10)).map((m) => m.id)).toEqual([uuid(2), uuid(1)]);
    expect(await t.store.outbox.listMessages('nobody@example.jp', 10)).toEqual([]);
  });
});

describe('LimitsPort', () => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore();
  });
  afterEach(async () => {
    await t.close();
  });

  it('counts hits atomically across connections', async () => {
    const other = await t.openAnother();
    const hits = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? other : t.store).limits.hit('k', 1000)));
    expect(hits.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(await t.store.limits.hit('k', 2000)).toBe(1);
  });

  it('prunes windows that started before the cut-off, and only those', async () => {
    await t.store.limits.hit('codeguess:u', 1000);
    await t.store.limits.hit('codeguess:u', 2000);
    await t.store.limits.prune(2000);
    expect(await t.store.limits.hit('codeguess:u', 1000)).toBe(1);
    expect(await t.store.limits.hit('codeguess:u', 2000)).toBe(2);
  });
});
