// GET /_todoku/api/mail/<id> through the real server: a sign-up mail's metadata and its delivery
// attempts (capture mode records one: command `capture`, its own 250, no host, IP or TLS), never
// its body; admin Basic auth; 400 for an id that is not one, 404 for an unknown one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from '../../helpers/server.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  await srv?.close();
});

const get = (path: string, auth: string | null = srv.basicAuth()) =>
  fetch(`${srv.url}${path}`, auth ? { headers: { authorization: auth } } : {});

/** The mail's view once the delivery worker has recorded its first attempt. */
async function deliveredView(id: string): Promise<Record<string, unknown> & { attempts: Record<string, unknown>[] }> {
  for (let i = 0; i < 100; i++) {
    const res = await get(`/_todoku/api/mail/${id}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown> & { attempts: Record<string, unknown>[] };
    if (body.attempts.length > 0) return body;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no delivery attempt recorded for ${id}`);
}

describe('GET /_todoku/api/mail/<id>', () => {
  it('shows where a mail is and how each attempt went, without its body', async () => {
    const to = 'hanako.@ezweb.ne.jp';
    await srv.publicClient.send(new SignUpCommand({ ClientId: srv.demo.clientId, Username: to, Password: 'Passw0rd!' }));
    const [mail] = await srv.mail(to);
    const code = await srv.latestCode(to);

    const view = await deliveredView(mail!.id);
    expect(view).toMatchObject({ id: mail!.id, poolId: srv.demo.poolId, kind: 'SIGN_UP', to, status: 'captured', nextAttemptAt: null, createdAt: mail!.createdAt });
    expect(view.attempts).toEqual([
      {
        attempt: 1, startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/), durationMs: expect.any(Number), mxHost: null, remoteIp: null, tls: false,
        responseCode: 250, enhancedStatus: null, command: 'capture', text: '250 captured (TODOKU_MAIL_MODE=capture)', outcome: 'sent',
      },
    ]);
    const json = JSON.stringify(view);
    expect(json).not.toContain(code);
    for (const key of ['text', 'html', 'raw', 'subject', 'textBody', 'htmlBody']) expect(view).not.toHaveProperty(key);
  });

  it('asks for the admin credentials, a UUID, and a mail that exists', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await get(`/_todoku/api/mail/${unknown}`, null)).status).toBe(401);
    expect((await get(`/_todoku/api/mail/${unknown}`, 'Basic ' + Buffer.from('AKID:wrong').toString('base64'))).status).toBe(401);
    const bad = await get('/_todoku/api/mail/not-a-mail-id');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'InvalidParameter', field: 'id' });
    const missing = await get(`/_todoku/api/mail/${unknown}`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'NotFound' });
  });
});
