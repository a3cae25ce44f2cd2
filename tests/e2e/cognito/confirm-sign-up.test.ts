// ConfirmSignUp end to end with the AWS SDK: the code from the captured mail confirms the
// user once; wrong, expired, reused and exhausted codes fail as Cognito's do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfirmSignUpCommand, ResendConfirmationCodeCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../helpers/server.js';
import { MAX_USER_CODE_GUESSES } from '../../../src/config/limits.js';
import { USER_CODE_GUESS_WINDOW_MS } from '../../../src/userpool/codes.js';
import { HOUR_MS, attributesOf, createClient, createPool, expectError, signUp, startOfWindow, startServer, tick, storedUser, wrongCode, liveCodes } from '../../helpers/self-service.js';

let srv: TestServer;
let legacy: string;
let withSecret: string;
let aliasPool: { poolId: string; clientId: string };
beforeAll(async () => {
  srv = await startServer();
  // Admin calls are SigV4-signed against the server's clock: make them before tests move it.
  legacy = await createClient(srv, { PreventUserExistenceErrors: 'LEGACY' });
  withSecret = await createClient(srv, { GenerateSecret: true });
  aliasPool = await createPool(srv, { AliasAttributes: ['email'] });
});
afterAll(async () => {
  await srv?.close();
});

function confirm(username: string, code: string, clientId = srv.demo.clientId, extra: { ForceAliasCreation?: boolean } = {}) {
  return srv.publicClient.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: code, ...extra }));
}

describe('ConfirmSignUp', () => {
  it('confirms a docomo address with consecutive dots using the mailed code, and verifies the email', async () => {
    const email = 'taro..yamada@docomo.ne.jp';
    const sub = await signUp(srv, email);
    expect((await storedUser(srv, sub)).status).toBe('UNCONFIRMED');
    const code = await srv.latestCode(email);
    expect(code).toMatch(/^\d{6}$/);

    await confirm(email, code);

    expect((await storedUser(srv, sub)).status).toBe('CONFIRMED');
    expect((await attributesOf(srv, sub)).email_verified).toBe('true');
  });

  it('refuses a second confirmation, and the used code, with the current status', async () => {
    const email = 'twice@example.jp';
    await signUp(srv, email);
    const code = await srv.latestCode(email);
    await confirm(email, code);
    await expectError(confirm(email, code), 'NotAuthorizedException', 'User cannot be confirmed. Current status is CONFIRMED');
  });

  it('answers a wrong code with CodeMismatchException and still accepts the right one', async () => {
    const email = 'wrong-once@example.jp';
    const sub = await signUp(srv, email);
    const code = await srv.latestCode(email);
    await expectError(confirm(email, wrongCode(code)), 'CodeMismatchException', 'Invalid verification code provided, please try again.');
    // The failure was committed even though the call failed.
    const stored = await srv.store.codes.findCode(sub, 'SIGN_UP');
    expect(stored!.failedAttempts).toBe(1);
    await confirm(email, code);
    expect((await storedUser(srv, sub)).status).toBe('CONFIRMED');
  });

  it('lets a code expire after 24 hours', async () => {
    const email = 'late@example.jp';
    await signUp(srv, email);
    const code = await srv.latestCode(email);
    srv.clock.advance(24 * HOUR_MS + 1);
    await expectError(confirm(email, code), 'ExpiredCodeException', 'Invalid code provided, please request a code again.');
    // Expired codes are deleted, not kept around.
    await expectError(confirm(email, code), 'ExpiredCodeException');
  });

  it('drops a code after five wrong guesses: the sixth try fails even with the right code', async () => {
    const email = 'guesser@example.jp';
    const sub = await signUp(srv, email);
    const code = await srv.latestCode(email);
    for (let i = 0; i < 5; i++) await expectError(confirm(email, wrongCode(code)), 'CodeMismatchException');
    await expectError(confirm(email, code), 'LimitExceededException', 'Attempt limit exceeded');
    expect(await liveCodes(srv, sub)).toEqual([]);
    await expectError(confirm(email, code), 'ExpiredCodeException');
    expect((await storedUser(srv, sub)).status).toBe('UNCONFIRMED');
  });

  it('caps wrong codes per user across new codes, refusing even a right code until the window passes', async () => {
    startOfWindow(srv, USER_CODE_GUESS_WINDOW_MS);
    const email = 'persistent@example.jp';
    const sub = await signUp(srv, email);
    const resend = () => {
      tick(srv);
      return srv.publicClient.send(new ResendConfirmationCodeCommand({ ClientId: srv.demo.clientId, Username: email }));
    };
    let failures = 0;
    while (failures < MAX_USER_CODE_GUESSES) {
      const code = await srv.latestCode(email);
      for (let i = 0; i < 5 && failures < MAX_USER_CODE_GUESSES; i++, failures++) {
        await expectError(confirm(email, wrongCode(code)), 'CodeMismatchException');
      }
      await resend();
    }
    const code = await srv.latestCode(email);
    await expectError(confirm(email, code), 'TooManyFailedAttemptsException', 'Too many failed attempts.');
    expect((await storedUser(srv, sub)).status).toBe('UNCONFIRMED');

    srv.clock.advance(USER_CODE_GUESS_WINDOW_MS);
    await confirm(email, code);
    expect((await storedUser(srv, sub)).status).toBe('CONFIRMED');
  });

  it('counts parallel guesses: a burst of wrong codes gets no more than five comparisons', async () => {
    const email = 'burst@example.jp';
    const sub = await signUp(srv, email);
    const code = await srv.latestCode(email);
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => confirm(email, wrongCode(code))));
    const names = results.map((r) => (r.status === 'rejected' ? (r.reason as Error).name : 'ok'));
    expect(names.filter((n) => n === 'CodeMismatchException')).toHaveLength(5);
    expect(names.every((n) => ['CodeMismatchException', 'LimitExceededException', 'ExpiredCodeException'].includes(n))).toBe(true);
    await expectError(confirm(email, code), 'ExpiredCodeException');
    expect((await storedUser(srv, sub)).status).toBe('UNCONFIRMED');
  });

  it('stores codes only as keyed hashes', async () => {
    const email = 'hashed@example.jp';
    const sub = await signUp(srv, email);
    const code = await srv.latestCode(email);
    const stored = await liveCodes(srv, sub);
    expect(stored).toHaveLength(1);
    const row = stored[0]!;
    expect(row.purpose).toBe('SIGN_UP');
    for (const value of Object.values(row)) expect(String(value)).not.toContain(code);
    expect(row.codeHash).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('with PreventUserExistenceErrors=ENABLED answers a missing user like a wrong code', async () => {
    await expectError(confirm('nobody@example.jp', '123456'), 'CodeMismatchException', 'Invalid verification code provided, please try again.');
  });

  it('with LEGACY reports a missing user', async () => {
    await expectError(confirm('nobody@example.jp', '123456', legacy), 'UserNotFoundException', 'Username/client id combination not found.');
  });

  it('needs the SECRET_HASH of a client with a secret', async () => {
    await expectError(confirm('someone@example.jp', '123456', withSecret), 'NotAuthorizedException', /SECRET_HASH/);
  });

  it('moves a verified email alias only with ForceAliasCreation', async () => {
    const { clientId } = aliasPool;
    const email = 'shared@example.jp';
    const first = await srv.publicClient.send(
      new SignUpCommand({ ClientId: clientId, Username: 'first', Password: 'Passw0rd!', UserAttributes: [{ Name: 'email', Value: email }] }),
    );
    await confirm('first', await srv.latestCode(email), clientId);
    tick(srv);
    const second = await srv.publicClient.send(
      new SignUpCommand({ ClientId: clientId, Username: 'second', Password: 'Passw0rd!', UserAttributes: [{ Name: 'email', Value: email }] }),
    );
    const code = await srv.latestCode(email);
    await expectError(confirm('second', code, clientId), 'AliasExistsException');
    // The refusal rolled back: the code still works, now with ForceAliasCreation.
    await confirm('second', code, clientId, { ForceAliasCreation: true });
    expect((await attributesOf(srv, second.UserSub!)).email_verified).toBe('true');
    expect((await attributesOf(srv, first.UserSub!)).email_verified).toBe('false');
  });
});
