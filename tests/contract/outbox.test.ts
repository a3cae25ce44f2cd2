// OutboxPort contract, on SQLite and PostgreSQL: leases, no double claims across
// processes, crash recovery by lease expiry, completion only by the lease holder.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore } from '../helpers/db.js';
import type { DeliveryAttempt, OutboxMessage } from '../../src/mail/queue/ports.js';

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

function attempt(outboxId: string, n: number, startedAtMs: number, over: Partial<DeliveryAttempt> = {}): DeliveryAttempt {
  return {
    outboxId,
    attempt: n,
    startedAtMs,
    durationMs: 1234,
    mxHost: 'mfsmax.docomo.ne.jp',
    remoteIp: '127.0.0.1',
    tls: true,
    responseCode: 550,
    enhancedStatus: '5.1.1',
    command: 'RCPT TO',
    text: '550 5.1.1 <taro..yamada@docomo.ne.jp>: Recipient address rejected: User unknown',
    outcome: 'failed',
    ...over,
  };
}

describe('OutboxPort: delivery attempts', () => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore();
  });
  afterEach(async () => {
    await t.close();
  });

  it('records each attempt whole with the state change, and lists them oldest first', async () => {
    const now = 1_800_000_000_000;
    await t.store.outbox.enqueue(message(uuid(1), now));
    await t.store.outbox.claimDueMessages('a', now, 30_000, 10);
    const deferred = attempt(uuid(1), 1, now, {
      mxHost: null, remoteIp: null, tls: false, responseCode: null, enhancedStatus: null, command: 'CONN',
      text: 'ECONNECTION: connect ECONNREFUSED 127.0.0.1:25', outcome: 'deferred', durationMs: 3,
    });
    expect(await t.store.outbox.recordAttempt(deferred, 'a', { status: 'queued', reply: deferred.text, nextAttemptAtMs: now + 60_000 }, now + 3)).toBe(true);
    const queued = (await t.store.outbox.findMessage(uuid(1)))!;
    expect([queued.status, queued.leaseOwner, queued.nextAttemptAtMs, queued.lastReply]).toEqual(['queued', null, now + 60_000, deferred.text]);

    await t.store.outbox.claimDueMessages('b', now + 60_000, 30_000, 10);
    const failed = attempt(uuid(1), 2, now + 60_000);
    expect(await t.store.outbox.recordAttempt(failed, 'b', { status: 'failed', reply: failed.text }, now + 61_234)).toBe(true);
    expect((await t.store.outbox.findMessage(uuid(1)))!.status).toBe('failed');

    expect(await t.store.outbox.listAttempts(uuid(1))).toEqual([deferred, failed]);
    expect(await t.store.outbox.listAttempts(uuid(2))).toEqual([]);
  });

  it('keeps the attempt of a worker that lost its lease, without letting it change the state', async () => {
    const now = 1_800_000_000_000;
    await t.store.outbox.enqueue(message(uuid(1), now));
    await t.store.outbox.claimDueMessages('slow', now, 30_000, 10);
    await t.store.outbox.claimDueMessages('b', now + 31_000, 30_000, 10);
    // The slow worker's 250 came after its lease ran out: the mail went, and b may send it again.
    const late = attempt(uuid(1), 1, now, { responseCode: 250, enhancedStatus: '2.0.0', command: 'DATA', text: '250 2.0.0 Ok: queued', outcome: 'sent', durationMs: 40_000 });
    expect(await t.store.outbox.recordAttempt(late, 'slow', { status: 'sent', reply: late.text }, now + 40_000)).toBe(false);
    const m = (await t.store.outbox.findMessage(uuid(1)))!;
    expect([m.status, m.leaseOwner, m.attempts]).toEqual(['sending', 'b', 2]);
    expect(await t.store.outbox.listAttempts(uuid(1))).toEqual([late]);
  });

  it('writes the attempt and the state in one transaction: neither lands when one fails', async () => {
    const now = 1_800_000_000_000;
    await t.store.outbox.enqueue(message(uuid(1), now));
    await t.store.outbox.claimDueMessages('a', now, 30_000, 10);
    const first = attempt(uuid(1), 1, now, { outcome: 'deferred', responseCode: 421, enhancedStatus: '4.7.0', text: '421 4.7.0 Try again later' });
    await t.store.outbox.recordAttempt(first, 'a', { status: 'queued', reply: first.text, nextAttemptAtMs: now }, now);
    await t.store.outbox.claimDueMessages('a', now + 1, 30_000, 10);
    // Attempt 1 again: the insert fails (one row per attempt), so the state change is undone.
    await expect(t.store.outbox.recordAttempt({ ...first, text: 'again' }, 'a', { status: 'sent', reply: '250 ok' }, now + 2)).rejects.toThrow();
    const m = (await t.store.outbox.findMessage(uuid(1)))!;
    expect([m.status, m.leaseOwner, m.lastReply]).toEqual(['sending', 'a', first.text]);
    expect((await t.store.outbox.listAttempts(uuid(1))).map((a) => a.text)).toEqual([first.text]);
  });

  it('joins a transaction it is called in', async () => {
    const now = 1_800_000_000_000;
    await t.store.outbox.enqueue(message(uuid(1), now));
    await t.store.outbox.claimDueMessages('a', now, 30_000, 10);
    const sent = attempt(uuid(1), 1, now, { responseCode: 250, enhancedStatus: null, command: 'DATA', text: '250 ok', outcome: 'sent' });
    await expect(
      t.store.transaction(async (tx) => {
        await tx.outbox.recordAttempt(sent, 'a', { status: 'sent', reply: '250 ok' }, now);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await t.store.outbox.listAttempts(uuid(1))).toEqual([]);
    expect((await t.store.outbox.findMessage(uuid(1)))!.status).toBe('sending');
    expect(await t.store.transaction((tx) => tx.outbox.recordAttempt(sent, 'a', { status: 'sent', reply: '250 ok' }, now))).toBe(true);
    expect(await t.store.outbox.listAttempts(uuid(1))).toEqual([sent]);
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
