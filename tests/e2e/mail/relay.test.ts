// The relay transport against a real loopback SMTP server: what it sends, from which address,
// and how 2xx/4xx/5xx replies and an unreachable relay come back. The URL rules are unit tests
// (tests/unit/domains/relay.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { createRelayTransport } from '../../../src/mail/deliver/relay.js';
import type { OutboxMessage } from '../../../src/mail/queue/ports.js';

describe('relay transport', () => {
  let server: SMTPServer;
  let port: number;
  const received: { from: string; to: string[]; raw: string; remote: string }[] = [];

  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      lenientAddressParsing: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, _session, cb) {
        if (address.address.startsWith('full@')) return cb(Object.assign(new Error('4.2.2 Mailbox full'), { responseCode: 452 }));
        if (address.address.startsWith('nobody@')) return cb(Object.assign(new Error('5.1.1 Unknown user'), { responseCode: 550 }));
        cb();
      },
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
            remote: session.remoteAddress,
          });
          cb();
        });
      },
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const message = (recipient: string): OutboxMessage => ({
    id: 'm',
    poolId: null,
    kind: 'SIGN_UP',
    envelopeFrom: 'bounce@bounce.example.jp',
    recipient,
    fromHeader: 'no-reply@example.jp',
    subject: 's',
    textBody: 't',
    htmlBody: null,
    raw: 'From: no-reply@example.jp\r\nTo: x@docomo.ne.jp\r\nSubject: s\r\n\r\nexactly this body\r\n',
    messageId: '<m@example.jp>',
    status: 'sending',
    attempts: 1,
    nextAttemptAtMs: 0,
    leaseOwner: null,
    leaseUntilMs: null,
    lastReply: null,
    createdAtMs: 0,
    updatedAtMs: 0,
  });

  it('sends exactly the outbox message from the local address, and maps 2xx/4xx/5xx', async () => {
    const t = createRelayTransport({ relayUrl: `smtp://127.0.0.1:${port}`, localAddress: '127.0.0.3', heloName: 'mta.todoku.test' });
    try {
      const ok = await t.send(message('taro.@ezweb.ne.jp'));
      expect(ok.kind).toBe('delivered');
      expect(ok.reply).toMatch(/^250/);
      expect(received[0]).toMatchObject({ from: 'bounce@bounce.example.jp', to: ['"taro."@ezweb.ne.jp'], remote: '127.0.0.3' });
      expect(received[0]!.raw).toBe(message('').raw);
      expect(await t.send(message('full@example.jp'))).toMatchObject({ kind: 'temporary', reply: expect.stringMatching(/^452 .*Mailbox full/) });
      expect(await t.send(message('nobody@example.jp'))).toMatchObject({ kind: 'permanent', reply: expect.stringMatching(/^550 .*Unknown user/) });
    } finally {
      await t.close?.();
    }
  });

  it('is a temporary failure when the relay cannot be reached', async () => {
    const t = createRelayTransport({ relayUrl: 'smtp://127.0.0.1:1', heloName: 'mta.todoku.test', connectionTimeoutMs: 2000 });
    expect(await t.send(message('a@example.jp'))).toMatchObject({ kind: 'temporary', reply: expect.stringMatching(/ECONNECTION|ECONNREFUSED/) });
    await t.close?.();
  });
});
