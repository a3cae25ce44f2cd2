// ChangePassword: the previous password is checked (and wrong guesses count toward the
// lockout), the pool's policy applies, and other sessions stay signed in as in Cognito.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangePasswordCommand, GetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../helpers/server.js';
import { NEW_PASSWORD, PASSWORD, confirmedUser, expectError, passwordSignIn, startServer, storedUser } from '../../helpers/sign-in.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});

function change(AccessToken: string, PreviousPassword: string, ProposedPassword: string) {
  return srv.publicClient.send(new ChangePasswordCommand({ AccessToken, PreviousPassword, ProposedPassword }));
}

describe('ChangePassword', () => {
  it('changes the password; the old one stops working and other sessions stay', async () => {
    const email = 'changer@ezweb.ne.jp';
    await confirmedUser(srv, email);
    const a = await passwordSignIn(srv, email);
    const b = await passwordSignIn(srv, email);
    await change(a.AccessToken!, PASSWORD, NEW_PASSWORD);
    await expectError(passwordSignIn(srv, email, PASSWORD), 'NotAuthorizedException', 'Incorrect username or password.');
    expect((await passwordSignIn(srv, email, NEW_PASSWORD)).AccessToken).toBeTruthy();
    expect((await srv.publicClient.send(new GetUserCommand({ AccessToken: b.AccessToken! }))).Username).toBeTruthy();
  });

  it('refuses a wrong previous password and counts it', async () => {
    const email = 'change-wrong@example.jp';
    const sub = await confirmedUser(srv, email);
    const s = await passwordSignIn(srv, email);
    await expectError(change(s.AccessToken!, 'Wr0ng-pass!', NEW_PASSWORD), 'NotAuthorizedException', 'Incorrect username or password.');
    expect(Number((await storedUser(srv, sub)).failedSignIns)).toBe(1);
    expect((await passwordSignIn(srv, email, PASSWORD)).AccessToken).toBeTruthy();
  });

  it('applies the password policy to the proposed password', async () => {
    const email = 'change-weak@example.jp';
    await confirmedUser(srv, email);
    const s = await passwordSignIn(srv, email);
    await expectError(change(s.AccessToken!, PASSWORD, 'short'), 'InvalidPasswordException', /Password not long enough/);
    await expectError(change(s.AccessToken!, PASSWORD, 'alllowercase1!'), 'InvalidPasswordException', /uppercase/);
  });

  it('is locked out like sign-in after five wrong previous passwords', async () => {
    const email = 'change-brute@example.jp';
    await confirmedUser(srv, email);
    const s = await passwordSignIn(srv, email);
    for (let i = 0; i < 5; i++) await expectError(change(s.AccessToken!, `Wr0ng-${i}!`, NEW_PASSWORD), 'NotAuthorizedException');
    await expectError(change(s.AccessToken!, PASSWORD, NEW_PASSWORD), 'LimitExceededException', 'Attempt limit exceeded, please try after some time.');
  });
});
