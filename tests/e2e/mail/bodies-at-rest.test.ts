// Message bodies at rest (issue 13 #2): a sign-up code is sealed in the outbox row — the raw
// table shows no code, not in the subject, the bodies or the raw message — while the
// captured-mail API (capture mode, for developers) still shows it, and rows written in the
// clear before sealing existed are still read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { rawOutboxRows } from '../../helpers/raw-outbox.js';
import type { OutboxMessage } from '../../../src/mail/queue/ports.js';

const HOUR_MS = 3_600_000;

let srv: TestServer & { pgSchema: string | undefined };
beforeAll(async () => {
  srv = await startTestServer({ env: { TODOKU_RATE_USER_CREATION: '0' } });
});
afterAll(async () => {
  await srv?.close();
});

describe('outbox bodies at rest', () => {
  it('seals the code in the database and shows it through the captured-mail API', async () => {
    const to = 'sealed@example.jp';
    await srv.publicClient.send(new SignUpCommand({ ClientId: srv.demo.clientId, Username: to, Password: 'Passw0rd!' }));
    const code = await srv.latestCode(to);
    const [mail] = await srv.mail(to);
    expect(mail!.text).toContain(code);
    expect(await srv.rawMail(mail!.id)).toMatch(new RegExp(`(?<!\\d)${code}(?!\\d)`));

    const rows = (await rawOutboxRows(srv)).filter((r) => r.recipient === to);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.body_state).toBe('sealed');
    for (const column of ['subject', 'text_body', 'html_body', 'raw']) {
      expect(String(rows[0]![column])).not.toContain(code);
      expect(String(rows[0]![column])).toMatch(/^v1\./);
    }
  });

  it('reads a row written in the clear before sealing existed', async () => {
    const nowMs = srv.clock.nowMs();
    const id = '00000000-0000-4000-8000-00000000c1ea';
    const legacy: OutboxMessage = {
      id, poolId: srv.demo.poolId, kind: 'SIGN_UP', envelopeFrom: 'bounce@example.jp', recipient: 'legacy@example.jp',
      fromHeader: 'no-reply@example.jp', subject: 'Your code', textBody: 'Your code is 482913', htmlBody: null,
      raw: 'Subject: Your code\r\n\r\nYour code is 482913\r\n', messageId: `<${id}@example.jp>`, status: 'captured', attempts: 1,
      nextAttemptAtMs: nowMs, leaseOwner: null, leaseUntilMs: null, lastReply: null, createdAtMs: nowMs, updatedAtMs: nowMs,
    };
    await srv.store.outbox.enqueue(legacy);
    const [row] = (await rawOutboxRows(srv)).filter((r) => r.id === id);
    expect(row!.body_state).toBe('clear');
    const [mail] = await srv.mail('legacy@example.jp');
    expect(mail).toMatchObject({ subject: 'Your code', text: 'Your code is 482913' });
    expect(await srv.rawMail(id)).toBe(legacy.raw);
  });

  it('purges a captured mail in the delivery loop once the retention window has passed', async () => {
    const to = 'purged@example.jp';
    await srv.publicClient.send(new SignUpCommand({ ClientId: srv.demo.clientId, Username: to, Password: 'Passw0rd!' }));
    const code = await srv.latestCode(to);
    const [mail] = await srv.mail(to);
    await expect.poll(async () => (await srv.store.outbox.findMessage(mail!.id))?.status).toBe('captured');

    // TODOKU_MAIL_RETENTION_HOURS defaults to a week: a developer still reads the code a day before.
    srv.clock.advance(167 * HOUR_MS);
    expect(await srv.server.worker.purge()).toBe(0);
    expect((await srv.mail(to))[0]!.text).toContain(code);

    // Past the window the loop's next pass (on todoku's clock) empties it; the record stays.
    srv.clock.advance(HOUR_MS + 1000);
    srv.server.worker.kick();
    await expect.poll(async () => (await srv.mail(to))[0]!.text, { timeout: 10_000 }).toBe('');
    expect((await srv.mail(to))[0]).toMatchObject({ id: mail!.id, subject: '', html: null, status: 'captured' });
    const eml = await fetch(`${srv.url}/_todoku/mail/${mail!.id}.eml`, { headers: { authorization: srv.basicAuth() } });
    expect(eml.status).toBe(410);
    const [row] = (await rawOutboxRows(srv)).filter((r) => r.id === mail!.id);
    expect(row).toMatchObject({ body_state: 'purged', raw: '', text_body: '' });
    const delivery = await fetch(`${srv.url}/_todoku/api/mail/${mail!.id}`, { headers: { authorization: srv.basicAuth() } });
    expect(((await delivery.json()) as { attempts: unknown[] }).attempts).toHaveLength(1);
  });
});
