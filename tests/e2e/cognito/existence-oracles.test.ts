// Issue 13 #7: with PreventUserExistenceErrors=ENABLED (the demo client), a name with a user
// and a name without one get the same sequence of answers from the code operations — also
// where only a real user used to get another error (no reset pending, an account already
// confirmed, a code whose attempts are spent). Real server, real SDK, SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfirmForgotPasswordCommand, ConfirmSignUpCommand, ForgotPasswordCommand, InitiateAuthCommand, ResendConfirmationCodeCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../helpers/server.js';
import { NEW_PASSWORD, confirmedUser, startServer, tick } from '../../helpers/self-service.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});

/** The answer's name: 'ok' or the exception. */
function answer(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'ok',
    (e: { name: string }) => e.name,
  );
}

function confirmReset(username: string, code: string) {
  return answer(srv.publicClient.send(new ConfirmForgotPasswordCommand({ ClientId: srv.demo.clientId, Username: username, ConfirmationCode: code, Password: NEW_PASSWORD })));
}

function confirmSignUp(username: string, code: string) {
  return answer(srv.publicClient.send(new ConfirmSignUpCommand({ ClientId: srv.demo.clientId, Username: username, ConfirmationCode: code })));
}

/** Seven wrong codes in a row: past the five attempts a code allows. */
async function sevenWrong(call: (username: string, code: string) => Promise<string>, username: string): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < 7; i++) out.push(await call(username, '000000'));
  return out;
}

const EXPECTED = [...Array<string>(5).fill('CodeMismatchException'), 'LimitExceededException', 'CodeMismatchException'];

describe('PreventUserExistenceErrors=ENABLED: the same answers for a name with a user and one without', () => {
  it('ConfirmForgotPassword: no reset pending, a reset pending, and no user answer alike', async () => {
    const idle = 'no-reset-pending@example.jp';
    await confirmedUser(srv, idle);
    const pending = 'reset-pending@example.jp';
    await confirmedUser(srv, pending);
    tick(srv);
    await srv.publicClient.send(new ForgotPasswordCommand({ ClientId: srv.demo.clientId, Username: pending }));

    expect(await sevenWrong(confirmReset, idle)).toEqual(EXPECTED);
    expect(await sevenWrong(confirmReset, pending)).toEqual(EXPECTED);
    expect(await sevenWrong(confirmReset, 'nobody-reset@example.jp')).toEqual(EXPECTED);
  });

  it('ConfirmSignUp: a confirmed user and no user answer alike', async () => {
    const done = 'already-confirmed@example.jp';
    await confirmedUser(srv, done);
    expect(await sevenWrong(confirmSignUp, done)).toEqual(EXPECTED);
    expect(await sevenWrong(confirmSignUp, 'nobody-signup@example.jp')).toEqual(EXPECTED);
  });

  it('InitiateAuth: a name without a user is locked out as a user is (Password attempts exceeded)', async () => {
    const real = 'locked-real@example.jp';
    await confirmedUser(srv, real);
    const initiate = (username: string) =>
      answer(
        srv.publicClient.send(
          new InitiateAuthCommand({ ClientId: srv.demo.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: 'Wr0ng-pass!' } }),
        ).catch((e: { name: string; message: string }) => Promise.reject({ name: `${e.name}: ${e.message}` })),
      );
    const sequence = async (username: string) => {
      const out: string[] = [];
      for (let i = 0; i < 7; i++) out.push(await initiate(username));
      srv.clock.advance(1000);
      out.push(await initiate(username), await initiate(username));
      return out;
    };
    srv.clock.freeze();
    try {
      const wrong = 'NotAuthorizedException: Incorrect username or password.';
      const exceeded = 'NotAuthorizedException: Password attempts exceeded';
      const expected = [wrong, wrong, wrong, wrong, wrong, exceeded, exceeded, wrong, exceeded];
      expect(await sequence(real)).toEqual(expected);
      expect(await sequence('Locked-Nobody@example.jp')).toEqual(expected);
    } finally {
      srv.clock.unfreeze();
    }
  });

  it('ResendConfirmationCode: a confirmed user gets the answer an unknown name gets, and no mail', async () => {
    const done = 'confirmed-resend@example.jp';
    await confirmedUser(srv, done);
    const before = (await srv.mail(done)).length;
    tick(srv);
    const real = await srv.publicClient.send(new ResendConfirmationCodeCommand({ ClientId: srv.demo.clientId, Username: done }));
    const unknown = await srv.publicClient.send(new ResendConfirmationCodeCommand({ ClientId: srv.demo.clientId, Username: 'nobody-resend@example.jp' }));
    expect(real.CodeDeliveryDetails).toEqual({ Destination: 'c***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    expect(unknown.CodeDeliveryDetails).toEqual({ Destination: 'n***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    expect(await srv.mail(done)).toHaveLength(before);
  });
});
