// Delivery attempts kept whole, end to end on loopback: the worker hands outbox messages to the
// relay transport, a real SMTP receiver on 127.0.0.1 answers 250, 4xx and 5xx at RCPT TO and at
// the end of DATA, and each attempt row holds the reply code, enhanced status, command, text,
// relay host, peer IP, TLS and duration exactly as the conversation went — on both databases.
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore } from '../helpers/db.js';
import { startDnsServer, type DnsServer } from '../helpers/dns-server.js';
import { startSmtpReceiver, type SmtpReceiver } from '../helpers/smtp-receiver.js';
import { HELO, SENDING_IP } from '../helpers/relay.js';
import { createResolver } from '../../src/dns/resolver.js';
import { systemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { DeliveryWorker } from '../../src/mail/deliver/worker.js';
import { createRelayTransport } from '../../src/mail/deliver/relay.js';
import type { Transport } from '../../src/mail/deliver/transport.js';
import type { OutboxMessage } from '../../src/mail/queue/ports.js';

const RAW = 'From: no-reply@example.jp\r\nTo: someone@example.jp\r\nSubject: s\r\nMessage-ID: <m@example.jp>\r\n\r\nbody\r\n';
const SLOW_MS = 300;

function message(n: number, recipient: string, nowMs: number): OutboxMessage {
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return {
    id, poolId: null, kind: 'SIGN_UP', envelopeFrom: 'bounce@bounce.example.jp', recipient, fromHeader: 'no-reply@example.jp',
    subject: 's', textBody: 't', htmlBody: null, raw: RAW, messageId: `<${id}@example.jp>`, status: 'queued', attempts: 0,
    nextAttemptAtMs: nowMs, leaseOwner: null, leaseUntilMs: null, lastReply: null, createdAtMs: nowMs, updatedAtMs: nowMs,
  };
}

const ANSWERS: Record<string, { stage: 'RCPT TO' | 'DATA'; reply: string }> = {
  'full@example.jp': { stage: 'RCPT TO', reply: '452 4.2.2 Mailbox full' },
  'nobody@docomo.ne.jp': { stage: 'RCPT TO', reply: '550 5.1.1 Unknown user' },
  'later@example.jp': { stage: 'DATA', reply: '451 4.3.0 Try again later' },
  'spam@ezweb.ne.jp': { stage: 'DATA', reply: '554 5.7.1 Message refused' },
  'plain@example.jp': { stage: 'DATA', reply: '550 Refused without an enhanced code' },
};

let dns: DnsServer;
let plain: SmtpReceiver;
let secure: SmtpReceiver;
let slow: SmtpReceiver;

beforeAll(async () => {
  dns = await startDnsServer();
  const resolve = createResolver({ servers: [dns.server], timeoutMs: 500, tries: 1 });
  const refuse = (stage: 'RCPT TO' | 'DATA', to: string) => (ANSWERS[to]?.stage === stage ? ANSWERS[to].reply : undefined);
  plain = await startSmtpReceiver(resolve, { refuse });
  secure = await startSmtpReceiver(resolve, { starttls: true });
  slow = await startSmtpReceiver(resolve, { dataDelayMs: SLOW_MS });
});

afterAll(async () => {
  await plain?.close();
  await secure?.close();
  await slow?.close();
  await dns?.close();
});

describe('delivery attempts over SMTP', () => {
  let t: TestStore;
  const transports: Transport[] = [];
  beforeEach(async () => {
    t = await openTestStore();
  });
  afterEach(async () => {
    for (const transport of transports.splice(0)) await transport.close?.();
    await t.close();
  });

  async function deliver(relayUrl: string, recipients: string[]) {
    const transport = createRelayTransport({ relayUrl, localAddress: SENDING_IP, heloName: HELO, connectionTimeoutMs: 2000 });
    transports.push(transport);
    const now = systemClock.nowMs();
    for (const [i, r] of recipients.entries()) await t.store.outbox.enqueue(message(i + 1, r, now));
    const worker = new DeliveryWorker({ outbox: t.store.outbox, transport, clock: systemClock, log: silentLogger, owner: 'w1' });
    const before = systemClock.nowMs();
    await worker.drain();
    const elapsedMs = systemClock.nowMs() - before;
    const attempts = await Promise.all(recipients.map(async (_, i) => (await t.store.outbox.listAttempts(message(i + 1, '', 0).id))));
    return { attempts: attempts.map((list) => { expect(list).toHaveLength(1); return list[0]!; }), elapsedMs };
  }

  it('keeps the code, enhanced status, command, text, host, IP and TLS of each answer', async () => {
    const recipients = ['taro..yamada@docomo.ne.jp', ...Object.keys(ANSWERS)];
    const { attempts, elapsedMs } = await deliver(plain.url, recipients);
    const where = { mxHost: '127.0.0.1', remoteIp: '127.0.0.1', tls: false };
    expect(attempts.map((a) => ({ ...a, startedAtMs: 0, durationMs: 0 }))).toEqual([
      { ...where, responseCode: 250, enhancedStatus: '2.0.0', command: 'DATA', text: expect.stringMatching(/^250 2\.0\.0 accepted/), outcome: 'sent' },
      { ...where, responseCode: 452, enhancedStatus: '4.2.2', command: 'RCPT TO', text: '452 4.2.2 Mailbox full', outcome: 'deferred' },
      { ...where, responseCode: 550, enhancedStatus: '5.1.1', command: 'RCPT TO', text: '550 5.1.1 Unknown user', outcome: 'failed' },
      { ...where, responseCode: 451, enhancedStatus: '4.3.0', command: 'DATA', text: '451 4.3.0 Try again later', outcome: 'deferred' },
      { ...where, responseCode: 554, enhancedStatus: '5.7.1', command: 'DATA', text: '554 5.7.1 Message refused', outcome: 'failed' },
      { ...where, responseCode: 550, enhancedStatus: null, command: 'DATA', text: '550 Refused without an enhanced code', outcome: 'failed' },
    ].map((a, i) => ({ outboxId: message(i + 1, '', 0).id, attempt: 1, startedAtMs: 0, durationMs: 0, ...a })));
    for (const a of attempts) expect(a.durationMs).toBeLessThanOrEqual(elapsedMs);
    // Sent from TODOKU_SMTP_LOCAL_ADDRESS; remoteIp is the receiver's end of that connection
    // (a refused connection, below, has none although its URL names the same host).
    expect(plain.messages.map((m) => m.remoteAddress)).toContain(SENDING_IP);
  });

  it('records TLS when the conversation ran over STARTTLS', async () => {
    const { attempts } = await deliver(`${secure.url}?tls=required`, ['hanako@example.jp']);
    expect(attempts[0]).toMatchObject({ responseCode: 250, command: 'DATA', remoteIp: '127.0.0.1', tls: true, outcome: 'sent' });
  });

  it('measures how long the conversation took', async () => {
    const { attempts, elapsedMs } = await deliver(slow.url, ['hanako@example.jp']);
    expect(attempts[0]!.durationMs).toBeGreaterThanOrEqual(SLOW_MS);
    expect(attempts[0]!.durationMs).toBeLessThanOrEqual(elapsedMs);
  });

  it('records a refused connection without a reply code or a peer', async () => {
    const { attempts } = await deliver('smtp://127.0.0.1:1', ['hanako@example.jp']);
    expect(attempts[0]).toMatchObject({
      mxHost: '127.0.0.1', remoteIp: null, tls: false, responseCode: null, enhancedStatus: null, command: 'CONN',
      text: expect.stringMatching(/ECONNECTION|ECONNREFUSED/), outcome: 'deferred',
    });
  });
});
