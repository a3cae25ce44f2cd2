// ResendConfirmationCode end to end: a fresh sign-up code replaces the old one and goes out
// as a RESEND mail; unknown users get a simulated answer when the client hides existence.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfirmSignUpCommand, ResendConfirmationCodeCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../helpers/server.js';
import { MAX_CODE_SENDS_PER_HOUR } from '../../../src/config/limits.js';
import { HOUR_MS, PASSWORD, confirmedUser, createClient, createPool, expectError, signUp, startOfWindow, startServer, tick, storedUser, mailKinds } from '../../helpers/self-service.js';

let srv: TestServer;
let legacy: string;
let noAutoVerify: { poolId: string; clientId: string };
beforeAll(async () => {
  srv = await startServer();
  // Admin calls are SigV4-signed against the server's clock: make them before tests move it.
  legacy = await createClient(srv, { PreventUserExistenceErrors: 'LEGACY' });
  noAutoVerify = await createPool(srv, { AutoVerifiedAttributes: [] });
});
afterAll(async () => {
  await srv?.close();
});

function resend(username: string, clientId = srv.demo.clientId) {
  tick(srv);
  return srv.publicClient.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: username }));
}

describe('ResendConfirmationCode', () => {
  it('mails a new code that replaces the first one', async () => {
    const email = 'taro..yamada@docomo.ne.jp';
    const sub = await signUp(srv, email);
    const first = await srv.latestCode(email);

    const out = await resend(email);
    expect(out.CodeDeliveryDetails).toEqual({ Destination: 't***@d***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    const mails = await srv.mail(email);
    expect(mails).toHaveLength(2);
    const second = await srv.latestCode(email);
    expect(mails[0]!.createdAt > mails[1]!.createdAt).toBe(true);
    expect(await mailKinds(srv, email)).toEqual(['SIGN_UP', 'RESEND']);

    if (first !== second) {
      await expectError(
        srv.publicClient.send(new ConfirmSignUpCommand({ ClientId: srv.demo.clientId, Username: email, ConfirmationCode: first })),
        'CodeMismatchException',
      );
    }
    await srv.publicClient.send(new ConfirmSignUpCommand({ ClientId: srv.demo.clientId, Username: email, ConfirmationCode: second }));
    expect((await storedUser(srv, sub)).status).toBe('CONFIRMED');
  });

  it('refuses a confirmed user', async () => {
    const email = 'done@example.jp';
    await confirmedUser(srv, email);
    await expectError(resend(email), 'InvalidParameterException', 'User is already confirmed.');
  });

  it('with PreventUserExistenceErrors=ENABLED gives a missing user a plausible answer and sends nothing', async () => {
    const email = 'ghost@example.jp';
    const out = await resend(email);
    expect(out.CodeDeliveryDetails).toEqual({ Destination: 'g***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    expect(await srv.mail(email)).toEqual([]);
  });

  it('with LEGACY reports a missing user', async () => {
    await expectError(resend('ghost@example.jp', legacy), 'UserNotFoundException', 'Username/client id combination not found.');
  });

  it('refuses when the pool does not auto-verify email', async () => {
    const { clientId } = noAutoVerify;
    await srv.publicClient.send(
      new SignUpCommand({ ClientId: clientId, Username: 'hanako', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'hanako@example.jp' }] }),
    );
    await expectError(resend('hanako', clientId), 'InvalidParameterException', /Auto verification not turned on/);
  });

  it(`limits code mails to ${MAX_CODE_SENDS_PER_HOUR} an hour per user`, async () => {
    const email = 'flood@example.jp';
    startOfWindow(srv, HOUR_MS);
    await signUp(srv, email);
    for (let i = 0; i < MAX_CODE_SENDS_PER_HOUR; i++) await resend(email);
    await expectError(resend(email), 'LimitExceededException', 'Attempt limit exceeded, please try after some time.');
    expect(await srv.mail(email)).toHaveLength(1 + MAX_CODE_SENDS_PER_HOUR);
    srv.clock.advance(HOUR_MS);
    await resend(email);
  });
});
