// ConfirmForgotPassword end to end: the mailed reset code sets a new password once; wrong,
// expired and reused codes fail; unknown users look exactly like wrong codes when the
// client hides user existence — same error, about the same time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfirmForgotPasswordCommand, ForgotPasswordCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../helpers/server.js';
import {
  HOUR_MS,
  NEW_PASSWORD,
  PASSWORD,
  confirmedUser,
  createClient,
  expectError,
  signIn,
  startServer,
  tick,
  storedUser,
  wrongCode,
} from '../../helpers/self-service.js';
import { verifiers } from '../../helpers/sign-in.js';

let srv: TestServer;
let legacy: string;
beforeAll(async () => {
  srv = await startServer();
  // Admin calls are SigV4-signed against the server's clock: make them before tests move it.
  legacy = await createClient(srv, { PreventUserExistenceErrors: 'LEGACY' });
});
afterAll(async () => {
  await srv?.close();
});

async function forgot(email: string): Promise<string> {
  tick(srv);
  await srv.publicClient.send(new ForgotPasswordCommand({ ClientId: srv.demo.clientId, Username: email }));
  return srv.latestCode(email);
}

function confirmReset(username: string, code: string, password = NEW_PASSWORD, clientId = srv.demo.clientId) {
  return srv.publicClient.send(
    new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: username, ConfirmationCode: code, Password: password }),
  );
}

describe('ConfirmForgotPassword', () => {
  it('sets the new password with the mailed code, once', async () => {
    const email = 'taro..yamada@docomo.ne.jp';
    await confirmedUser(srv, email);
    const code = await forgot(email);

    await confirmReset(email, code);

    expect(await signIn(srv, email, NEW_PASSWORD)).toBeTruthy();
    await expectError(signIn(srv, email, PASSWORD), 'NotAuthorizedException');
    await expectError(confirmReset(email, code, 'An0ther-Passw0rd!'), 'ExpiredCodeException');
  });

  it('keeps existing sessions: Cognito does not sign out on a reset', async () => {
    const email = 'sessions@example.jp';
    const sub = await confirmedUser(srv, email);
    const token = await signIn(srv, email);
    await confirmReset(email, await forgot(email));
    const session = await srv.store.sessions.findSession(String((await (await verifiers(srv)).access(token)).origin_jti));
    expect(session?.userSub).toBe(sub);
    expect(session!.revokedAtMs).toBeNull();
  });

  it('answers a wrong code with CodeMismatchException and keeps the old password', async () => {
    const email = 'wrong@example.jp';
    await confirmedUser(srv, email);
    const code = await forgot(email);
    await expectError(confirmReset(email, wrongCode(code)), 'CodeMismatchException', 'Invalid verification code provided, please try again.');
    expect(await signIn(srv, email, PASSWORD)).toBeTruthy();
    await confirmReset(email, code);
  });

  it('checks the password policy without using up the code', async () => {
    const email = 'weak@example.jp';
    await confirmedUser(srv, email);
    const code = await forgot(email);
    await expectError(confirmReset(email, code, 'short'), 'InvalidPasswordException', /Password not long enough/);
    await confirmReset(email, code);
  });

  it('lets a reset code expire after one hour', async () => {
    const email = 'slow@example.jp';
    await confirmedUser(srv, email);
    const code = await forgot(email);
    srv.clock.advance(HOUR_MS + 1);
    await expectError(confirmReset(email, code), 'ExpiredCodeException', 'Invalid code provided, please request a code again.');
  });

  it('drops the code after five wrong guesses', async () => {
    const email = 'guess@example.jp';
    await confirmedUser(srv, email);
    const code = await forgot(email);
    for (let i = 0; i < 5; i++) await expectError(confirmReset(email, wrongCode(code)), 'CodeMismatchException');
    await expectError(confirmReset(email, code), 'LimitExceededException');
    await expectError(confirmReset(email, code), 'ExpiredCodeException');
  });

  it('ends RESET_REQUIRED and clears a sign-in lockout', async () => {
    const email = 'reset-required@example.jp';
    const sub = await confirmedUser(srv, email);
    await srv.store.users.updateUser(sub, { status: 'RESET_REQUIRED', failedSignIns: 7, lockedUntilMs: srv.clock.nowMs() + HOUR_MS });
    await confirmReset(email, await forgot(email));
    const row = await storedUser(srv, sub);
    expect(row.status).toBe('CONFIRMED');
    expect(Number(row.failedSignIns)).toBe(0);
    expect(Number(row.lockedUntilMs)).toBe(0);
  });

  it('with PreventUserExistenceErrors=ENABLED answers a missing or disabled user like a wrong code', async () => {
    await expectError(confirmReset('nobody@example.jp', '123456'), 'CodeMismatchException', 'Invalid verification code provided, please try again.');
    const email = 'off@example.jp';
    const sub = await confirmedUser(srv, email);
    const code = await forgot(email);
    await srv.store.users.updateUser(sub, { enabled: false });
    await expectError(confirmReset(email, code), 'CodeMismatchException');
  });

  it('with PreventUserExistenceErrors=ENABLED takes about as long for a missing user as for a wrong code', async () => {
    const email = 'timing@example.jp';
    await confirmedUser(srv, email);
    const code = await forgot(email);
    // Stay under the per-code limit: four wrong guesses for the real user.
    const time = async (username: string) => {
      const started = process.hrtime.bigint();
      await expectError(confirmReset(username, wrongCode(code)), 'CodeMismatchException');
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const real: number[] = [];
    const missing: number[] = [];
    for (let i = 0; i < 4; i++) {
      real.push(await time(email));
      missing.push(await time(`missing-${i}@example.jp`));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    // Both hash the new password (argon2id, the bulk of the time); a missing user must not
    // answer in a fraction of it. Loose bounds: the machine is shared.
    expect(median(missing)).toBeGreaterThan(median(real) * 0.4);
    expect(median(missing)).toBeLessThan(median(real) * 2.5);
  });

  it('with LEGACY reports a missing user', async () => {
    await expectError(confirmReset('nobody@example.jp', '123456', NEW_PASSWORD, legacy), 'UserNotFoundException', 'Username/client id combination not found.');
  });
});
