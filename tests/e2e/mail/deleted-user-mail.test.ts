// Deleting a user deletes their mail still queued (issue 13 #2): DeleteUser and AdminDeleteUser
// drop the outbox rows the enqueue path marked with the user's sub — also a code on its way
// to a new address the user has not verified. Delivery here is down (every attempt answers
// 421), so the mail waits queued for its retry, as on a day the relay is unreachable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminDeleteUserCommand, DeleteUserCommand, UpdateUserAttributesCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { PASSWORD, confirmedUser, signIn, signUp } from '../../helpers/self-service.js';
import { replyCodes } from '../../../src/mail/deliver/reply.js';
import type { Transport } from '../../../src/mail/deliver/transport.js';

const DOWN = '421 4.3.2 service not available';
const down: Transport = {
  name: 'down',
  async send() {
    return { kind: 'temporary', reply: DOWN, ...replyCodes(DOWN), command: 'CONN', mxHost: 'relay.example.jp', remoteIp: '127.0.0.1', tls: false };
  },
};

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({
    env: { TODOKU_RATE_USER_CREATION: '0', TODOKU_RATE_USER_ACCOUNT: '0', TODOKU_RATE_USER_AUTHENTICATION: '0' },
    overrides: { transport: down },
  });
});
afterAll(async () => {
  await srv?.close();
});

/** The outbox rows to `to`, once each has had its (deferred) first attempt: queued, not in flight. */
async function deferredMail(to: string) {
  await expect
    .poll(async () => (await srv.store.outbox.listMessages(to, 10)).map((m) => `${m.status}/${m.attempts}`), { timeout: 10_000 })
    .toEqual(expect.arrayContaining(['queued/1']));
  const rows = await srv.store.outbox.listMessages(to, 10);
  expect(rows.every((m) => m.status === 'queued' && m.attempts >= 1)).toBe(true);
  return rows;
}

describe("a deleted user's queued mail", () => {
  it('AdminDeleteUser deletes the sign-up code still queued', async () => {
    const sub = await signUp(srv, 'admin-deleted@example.jp');
    const [row] = await deferredMail('admin-deleted@example.jp');
    expect(row!.userSub).toBe(sub);

    await srv.cognito.send(new AdminDeleteUserCommand({ UserPoolId: srv.demo.poolId, Username: 'admin-deleted@example.jp' }));
    expect(await srv.store.outbox.findMessage(row!.id)).toBeUndefined();
  });

  it('DeleteUser deletes the code queued to a new, unverified address too', async () => {
    const sub = await confirmedUser(srv, 'self-deleted@example.jp');
    const token = await signIn(srv, 'self-deleted@example.jp', PASSWORD);
    await srv.publicClient.send(new UpdateUserAttributesCommand({ AccessToken: token, UserAttributes: [{ Name: 'email', Value: 'self-new@example.jp' }] }));
    const [toNew] = await deferredMail('self-new@example.jp');
    const [signUpMail] = await deferredMail('self-deleted@example.jp');
    expect([toNew!.userSub, signUpMail!.userSub]).toEqual([sub, sub]);

    await srv.publicClient.send(new DeleteUserCommand({ AccessToken: token }));
    expect(await srv.store.outbox.findMessage(toNew!.id)).toBeUndefined();
    expect(await srv.store.outbox.findMessage(signUpMail!.id)).toBeUndefined();
  });
});
