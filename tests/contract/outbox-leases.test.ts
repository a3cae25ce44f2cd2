// Leases that hold while a worker works and fence it once they are lost (issue 13 #8), on both
// databases: the heartbeat renews them, every write under a lease names the claim (its fencing
// token), two workers over one database and a relay slower than the lease deliver every
// Message-ID once, and a crashed worker's messages go to the other one lease later.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore } from '../helpers/db.js';
import { startDnsServer, type DnsServer } from '../helpers/dns-server.js';
import { startSmtpReceiver, type SmtpReceiver } from '../helpers/smtp-receiver.js';
import { HELO, SENDING_IP } from '../helpers/relay.js';
import { createResolver } from '../../src/dns/resolver.js';
import { OffsetClock, systemClock, type Clock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { DeliveryWorker } from '../../src/mail/deliver/worker.js';
import { createRelayTransport } from '../../src/mail/deliver/relay.js';
import type { DeliveryOutcome, Transport } from '../../src/mail/deliver/transport.js';
import type { DeliveryAttempt, OutboxMessage, OutboxPort } from '../../src/mail/queue/ports.js';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function message(n: number, nowMs: number): OutboxMessage {
  const id = uuid(n);
  const messageId = `<${id}@example.jp>`;
  const raw = `From: no-reply@example.jp\r\nTo: user${n}@example.jp\r\nSubject: code\r\nMessage-ID: ${messageId}\r\n\r\nbody\r\n`;
  return {
    id, poolId: null, kind: 'SIGN_UP', envelopeFrom: 'bounce@bounce.example.jp', recipient: `user${n}@example.jp`, fromHeader: 'no-reply@example.jp',
    subject: 'code', textBody: 'body', htmlBody: null, raw, messageId, status: 'queued', attempts: 0,
    nextAttemptAtMs: nowMs, leaseOwner: null, leaseUntilMs: null, lastReply: null, createdAtMs: nowMs, updatedAtMs: nowMs,
  };
}

function sentAttempt(id: string, attempt: number, startedAtMs: number): DeliveryAttempt {
  return {
    outboxId: id, attempt, startedAtMs, durationMs: 5, mxHost: '127.0.0.1', remoteIp: '127.0.0.1', tls: false,
    responseCode: 250, enhancedStatus: '2.0.0', command: 'DATA', text: '250 2.0.0 accepted', outcome: 'sent',
  };
}

/** The Message-IDs a receiver took, in order. */
const messageIds = (r: SmtpReceiver) => r.messages.map((m) => /^Message-ID: (.*)$/im.exec(m.raw)?.[1]?.trim());

describe('OutboxPort: leases and fencing tokens', () => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore();
  });
  afterEach(async () => {
    await t.close();
  });

  it('renews the leases a worker still holds, and only those', async () => {
    const now = 1_800_000_000_000;
    for (const n of [1, 2]) await t.store.outbox.enqueue(message(n, now));
    const claimed = await t.store.outbox.claimDueMessages('a', now, 10_000, 10);
    const tokens = claimed.map((m) => ({ id: m.id, attempt: m.attempts }));
    expect((await t.store.outbox.renewLeases('a', tokens, now + 8_000, 10_000)).sort()).toEqual([uuid(1), uuid(2)]);
    // Renewed until now + 18 s: not due at 15 s, due after 18 s.
    expect(await t.store.outbox.claimDueMessages('b', now + 15_000, 10_000, 10)).toEqual([]);
    expect((await t.store.outbox.claimDueMessages('b', now + 18_001, 10_000, 10)).map((m) => [m.leaseOwner, m.attempts])).toEqual([['b', 2], ['b', 2]]);
    // a's renewal comes too late: b claimed them, nothing of a's is renewed or recorded.
    expect(await t.store.outbox.renewLeases('a', tokens, now + 18_002, 10_000)).toEqual([]);
    expect(await t.store.outbox.recordAttempt(sentAttempt(uuid(1), 1, now), 'a', { status: 'sent', reply: '250' }, now + 18_003)).toBe(false);
    expect((await t.store.outbox.findMessage(uuid(1)))!.leaseUntilMs).toBe(now + 18_001 + 10_000);
  });

  it('renews a lease that ran out while nobody claimed the message', async () => {
    const now = 1_800_000_000_000;
    await t.store.outbox.enqueue(message(1, now));
    const [m] = await t.store.outbox.claimDueMessages('a', now, 10_000, 10);
    expect(await t.store.outbox.renewLeases('a', [{ id: m!.id, attempt: m!.attempts }], now + 12_000, 10_000)).toEqual([uuid(1)]);
    expect(await t.store.outbox.claimDueMessages('b', now + 13_000, 10_000, 10)).toEqual([]);
  });

  it("refuses a worker's write under its own older claim of the message", async () => {
    // The owner name alone does not fence: a worker that stalled past its lease and then
    // claimed the message again holds the new claim, not the old one it is finishing.
    const now = 1_800_000_000_000;
    await t.store.outbox.enqueue(message(1, now));
    const [first] = await t.store.outbox.claimDueMessages('a', now, 10_000, 10);
    const [second] = await t.store.outbox.claimDueMessages('a', now + 10_001, 10_000, 10);
    expect([first!.attempts, second!.attempts]).toEqual([1, 2]);
    expect(await t.store.outbox.renewLeases('a', [{ id: uuid(1), attempt: 1 }], now + 10_002, 10_000)).toEqual([]);
    expect(await t.store.outbox.recordAttempt(sentAttempt(uuid(1), 1, now), 'a', { status: 'sent', reply: '250' }, now + 10_003)).toBe(false);
    expect((await t.store.outbox.findMessage(uuid(1)))!.status).toBe('sending');
    expect(await t.store.outbox.recordAttempt(sentAttempt(uuid(1), 2, now + 10_001), 'a', { status: 'sent', reply: '250' }, now + 10_004)).toBe(true);
  });
});

/** A worker process that stops dead: after crash(), no call it makes to the database returns. */
function crashable(outbox: OutboxPort): { outbox: OutboxPort; crash(): void } {
  let dead = false;
  const proxy = new Proxy(outbox, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => (dead ? new Promise(() => {}) : (value as (...a: unknown[]) => unknown).apply(target, args));
    },
  });
  return { outbox: proxy, crash: () => void (dead = true) };
}

describe('two delivery workers on one database, a relay slower than the lease', () => {
  // The relay answers the end of DATA after this long; the lease is shorter than a batch.
  const DATA_DELAY_MS = 400;
  const LEASE_MS = 2_000;
  const COUNT = 8;

  let dns: DnsServer;
  let receiver: SmtpReceiver;
  let t: TestStore;
  const transports: Transport[] = [];
  const workers: DeliveryWorker[] = [];

  beforeAll(async () => {
    dns = await startDnsServer();
    receiver = await startSmtpReceiver(createResolver({ servers: [dns.server], timeoutMs: 500, tries: 1 }), { dataDelayMs: DATA_DELAY_MS });
  });
  afterAll(async () => {
    await receiver?.close();
    await dns?.close();
  });
  beforeEach(async () => {
    receiver.messages.length = 0;
    t = await openTestStore();
  });
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.stop();
    for (const tr of transports.splice(0)) await tr.close?.();
    await t.close();
  });

  function relay(): Transport {
    const transport = createRelayTransport({ relayUrl: receiver.url, localAddress: SENDING_IP, heloName: HELO, connectionTimeoutMs: 5_000 });
    transports.push(transport);
    return transport;
  }

  function worker(outbox: OutboxPort, owner: string, clock: Clock, o: { leaseMs?: number; transport?: Transport } = {}): DeliveryWorker {
    const w = new DeliveryWorker({ outbox, transport: o.transport ?? relay(), clock, log: silentLogger, owner, pollMs: 50, ...(o.leaseMs ? { leaseMs: o.leaseMs } : {}) });
    workers.push(w);
    return w;
  }

  it('delivers every Message-ID once while both poll', async () => {
    const now = systemClock.nowMs();
    for (let n = 1; n <= COUNT; n++) await t.store.outbox.enqueue(message(n, now));
    const other = await t.openAnother();
    // One batch takes COUNT × DATA_DELAY_MS = 3.2 s, longer than the lease: without renewal
    // the second worker claims the rest of the first one's batch while the first still sends it.
    worker(t.store.outbox, 'process-a', systemClock, { leaseMs: LEASE_MS }).start();
    worker(other.outbox, 'process-b', systemClock, { leaseMs: LEASE_MS }).start();

    const deadline = Date.now() + 25_000;
    for (;;) {
      const rows = await t.store.outbox.listMessages(undefined, 100);
      if (rows.every((m) => m.status === 'sent')) break;
      if (Date.now() > deadline) throw new Error(`not all sent: ${rows.map((m) => m.status).join(' ')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (const w of workers.splice(0)) await w.stop();

    const ids = messageIds(receiver);
    expect(ids.length).toBe(COUNT);
    expect(new Set(ids).size).toBe(COUNT);
    // Each message was claimed and tried once: no lease changed hands.
    for (let n = 1; n <= COUNT; n++) expect((await t.store.outbox.listAttempts(uuid(n))).map((a) => [a.attempt, a.outcome])).toEqual([[1, 'sent']]);
  });

  it("takes over a crashed worker's messages ten seconds after its last heartbeat", async () => {
    const clock = new OffsetClock();
    const now = clock.nowMs();
    for (let n = 1; n <= 3; n++) await t.store.outbox.enqueue(message(n, now));
    const other = await t.openAnother();

    // Process A claims the three and hangs in its first send; then it dies mid-conversation.
    let started!: () => void;
    const sending = new Promise<void>((resolve) => (started = resolve));
    const hung: Transport = { name: 'hung', send: () => (started(), new Promise<DeliveryOutcome>(() => {})) };
    const a = crashable(other.outbox);
    void worker(a.outbox, 'process-a', clock, { transport: hung }).drain();
    await sending;
    a.crash();

    const b = worker(t.store.outbox, 'process-b', clock);
    // A's lease still runs: nothing for B yet.
    expect(await b.drain()).toBe(0);
    // Ten seconds later (on the clock both processes read), A's messages are B's.
    clock.advance(10_001);
    expect(await b.drain()).toBe(3);
    const ids = messageIds(receiver);
    expect(ids.sort()).toEqual([1, 2, 3].map((n) => message(n, now).messageId));
    for (let n = 1; n <= 3; n++) {
      const m = (await t.store.outbox.findMessage(uuid(n)))!;
      expect([m.status, m.attempts]).toEqual(['sent', 2]);
    }
  });
});
