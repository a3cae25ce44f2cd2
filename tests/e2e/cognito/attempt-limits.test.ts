// The attempt limits are the operator's: lowered through TODOKU_CODE_* and TODOKU_SIGNIN_*,
// each takes effect through the real SDK (Cognito's defaults are tested in the operations'
// own files).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfirmSignUpCommand, InitiateAuthCommand, ResendConfirmationCodeCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../helpers/server.js';
import { USER_CODE_GUESS_WINDOW_MS } from '../../../src/userpool/codes.js';
import { HOUR_MS, PASSWORD, confirmedUser, expectError, signUp, startOfWindow, startServer, tick, storedUser, wrongCode } from '../../helpers/self-service.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer({
    TODOKU_CODE_MAX_ATTEMPTS: '2',
    TODOKU_CODE_MAX_GUESSES_PER_USER: '3',
    TODOKU_CODE_MAX_SENDS_PER_HOUR: '2',
    TODOKU_SIGNIN_FAILURES_BEFORE_LOCKOUT: '2',
    TODOKU_SIGNIN_MAX_LOCKOUT_SECONDS: '3',
  });
});
afterAll(async () => {
  await srv?.close();
});

function confirm(username: string, code: string) {
  return srv.publicClient.send(new ConfirmSignUpCommand({ ClientId: srv.demo.clientId, Username: username, ConfirmationCode: code }));
}

function resend(username: string) {
  tick(srv);
  return srv.publicClient.send(new ResendConfirmationCodeCommand({ ClientId: srv.demo.clientId, Username: username }));
}

function initiate(username: string, password: string) {
  return srv.publicClient.send(
    new InitiateAuthCommand({ ClientId: srv.demo.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }),
  );
}

describe('configured code limits', () => {
  it('TODOKU_CODE_MAX_ATTEMPTS=2: the third try of a code fails with LimitExceededException, even with the right code', async () => {
    const email = 'two-tries@example.jp';
    startOfWindow(srv, USER_CODE_GUESS_WINDOW_MS);
    const sub = await signUp(srv, email);
    const code = await srv.latestCode(email);
    for (let i = 0; i < 2; i++) await expectError(confirm(email, wrongCode(code)), 'CodeMismatchException');
    await expectError(confirm(email, code), 'LimitExceededException', 'Attempt limit exceeded');
    expect((await storedUser(srv, sub)).status).toBe('UNCONFIRMED');
  });

  it('TODOKU_CODE_MAX_GUESSES_PER_USER=3: the fourth guess in 15 minutes is refused across codes', async () => {
    const email = 'three-guesses@example.jp';
    startOfWindow(srv, USER_CODE_GUESS_WINDOW_MS);
    const sub = await signUp(srv, email);
    const first = await srv.latestCode(email);
    for (let i = 0; i < 2; i++) await expectError(confirm(email, wrongCode(first)), 'CodeMismatchException');
    await resend(email);
    const second = await srv.latestCode(email);
    await expectError(confirm(email, wrongCode(second)), 'CodeMismatchException');
    await expectError(confirm(email, second), 'TooManyFailedAttemptsException', 'Too many failed attempts.');

    srv.clock.advance(USER_CODE_GUESS_WINDOW_MS);
    await confirm(email, second);
    expect((await storedUser(srv, sub)).status).toBe('CONFIRMED');
  });

  it('TODOKU_CODE_MAX_SENDS_PER_HOUR=2: the third code mail in an hour is refused', async () => {
    const email = 'two-mails@example.jp';
    startOfWindow(srv, HOUR_MS);
    await signUp(srv, email);
    for (let i = 0; i < 2; i++) await resend(email);
    await expectError(resend(email), 'LimitExceededException', 'Attempt limit exceeded, please try after some time.');
    expect(await srv.mail(email)).toHaveLength(3);
    srv.clock.advance(HOUR_MS);
    await resend(email);
  });
});

describe('configured sign-in lockout', () => {
  it('TODOKU_SIGNIN_FAILURES_BEFORE_LOCKOUT=2 locks after two failures; TODOKU_SIGNIN_MAX_LOCKOUT_SECONDS=3 caps the lockout', async () => {
    const email = 'locked-early@example.jp';
    const sub = await confirmedUser(srv, email);
    await expectError(initiate(email, 'Wr0ng-1!'), 'NotAuthorizedException', 'Incorrect username or password.');
    await expectError(initiate(email, 'Wr0ng-2!'), 'NotAuthorizedException', 'Incorrect username or password.');
    await expectError(initiate(email, PASSWORD), 'NotAuthorizedException', 'Password attempts exceeded');

    // 1 s, then 2 s, then 4 s capped to 3 s.
    srv.clock.advance(1000);
    await expectError(initiate(email, 'Wr0ng-3!'), 'NotAuthorizedException', 'Incorrect username or password.');
    srv.clock.advance(2000);
    await expectError(initiate(email, 'Wr0ng-4!'), 'NotAuthorizedException', 'Incorrect username or password.');
    const row = await storedUser(srv, sub);
    expect(Number(row.failedSignIns)).toBe(4);
    expect(Number(row.lockedUntilMs) - srv.clock.nowMs()).toBeGreaterThan(2000);
    expect(Number(row.lockedUntilMs) - srv.clock.nowMs()).toBeLessThanOrEqual(3000);
    srv.clock.advance(3000);
    const out = await initiate(email, PASSWORD);
    expect(out.AuthenticationResult?.AccessToken).toBeTruthy();
  });
});
