// GetUserAttributeVerificationCode and VerifyUserAttribute end to end: the mailed code
// verifies the email once; wrong, expired and stale codes do not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GetUserAttributeVerificationCodeCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../helpers/server.js';
import { HOUR_MS, PASSWORD, attributesOf, confirmedUser, createPool, expectError, signIn, startServer, tick, wrongCode } from './_self-service.js';

let srv: TestServer;
let noAutoVerify: { poolId: string; clientId: string };
beforeAll(async () => {
  srv = await startServer();
  // Admin calls are SigV4-signed against the server's clock: make them before tests move it.
  noAutoVerify = await createPool(srv, { AutoVerifiedAttributes: [] });
});
afterAll(async () => {
  await srv?.close();
});

function getCode(accessToken: string, attributeName = 'email') {
  tick(srv);
  return srv.publicClient.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: accessToken, AttributeName: attributeName }));
}

function verify(accessToken: string, code: string, attributeName = 'email') {
  return srv.publicClient.send(new VerifyUserAttributeCommand({ AccessToken: accessToken, AttributeName: attributeName, Code: code }));
}

describe('VerifyUserAttribute', () => {
  it('verifies a changed email with the code UpdateUserAttributes mailed', async () => {
    const newEmail = 'hanako..suzuki@docomo.ne.jp';
    const sub = await confirmedUser(srv, 'hanako@example.jp');
    const token = await signIn(srv, 'hanako@example.jp');
    tick(srv);
    await srv.publicClient.send(new UpdateUserAttributesCommand({ AccessToken: token, UserAttributes: [{ Name: 'email', Value: newEmail }] }));
    const code = await srv.latestCode(newEmail);

    await verify(token, code);

    expect(await attributesOf(srv, sub)).toMatchObject({ email: newEmail, email_verified: 'true' });
    await expectError(verify(token, code), 'ExpiredCodeException');
  });

  it('verifies with a code from GetUserAttributeVerificationCode', async () => {
    const email = 'again@example.jp';
    const sub = await confirmedUser(srv, email);
    const token = await signIn(srv, email);
    const out = await getCode(token);
    expect(out.CodeDeliveryDetails).toEqual({ Destination: 'a***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    const mails = await srv.mail(email);
    expect(mails).toHaveLength(2);
    const kinds = await srv.store.db.selectFrom('outbox').select('kind').where('recipient', '=', email).execute();
    expect(kinds.map((k) => k.kind).sort()).toEqual(['SIGN_UP', 'VERIFY_ATTRIBUTE']);
    await srv.store.users.setAttributes(srv.demo.poolId, sub, { email_verified: 'false' });

    await verify(token, await srv.latestCode(email));
    expect((await attributesOf(srv, sub)).email_verified).toBe('true');
  });

  it('answers a wrong code with CodeMismatchException and drops the code after five', async () => {
    const email = 'fumble@example.jp';
    await confirmedUser(srv, email);
    const token = await signIn(srv, email);
    await getCode(token);
    const code = await srv.latestCode(email);
    await expectError(verify(token, wrongCode(code)), 'CodeMismatchException', 'Invalid verification code provided, please try again.');
    for (let i = 0; i < 4; i++) await expectError(verify(token, wrongCode(code)), 'CodeMismatchException');
    await expectError(verify(token, code), 'LimitExceededException');
    await expectError(verify(token, code), 'ExpiredCodeException');
  });

  it('lets a code expire after 24 hours', async () => {
    const email = 'expire@example.jp';
    await confirmedUser(srv, email);
    await getCode(await signIn(srv, email));
    const code = await srv.latestCode(email);
    srv.clock.advance(24 * HOUR_MS + 1);
    // The first access token has expired by now too.
    await expectError(verify(await signIn(srv, email), code), 'ExpiredCodeException');
  });

  it('does not accept a code sent for the previous address', async () => {
    const { clientId } = noAutoVerify;
    const out = await srv.publicClient.send(
      new SignUpCommand({ ClientId: clientId, Username: 'shiro', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'shiro@example.jp' }] }),
    );
    await srv.store.users.updateUser(out.UserSub!, { status: 'CONFIRMED' });
    const token = await signIn(srv, 'shiro', PASSWORD, clientId);
    await getCode(token);
    const code = await srv.latestCode('shiro@example.jp');
    await srv.publicClient.send(new UpdateUserAttributesCommand({ AccessToken: token, UserAttributes: [{ Name: 'email', Value: 'shiro@softbank.ne.jp' }] }));
    await expectError(verify(token, code), 'ExpiredCodeException');
    expect((await attributesOf(srv, out.UserSub!)).email_verified).toBe('false');
  });

  it('sends codes for email only', async () => {
    const email = 'phone@example.jp';
    await confirmedUser(srv, email);
    const token = await signIn(srv, email);
    await expectError(getCode(token, 'phone_number'), 'InvalidParameterException', /phone_number/);
    await expectError(getCode(token, 'name'), 'InvalidParameterException', /name/);
  });
});
