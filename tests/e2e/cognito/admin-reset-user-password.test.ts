import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminGetUserCommand, AdminResetUserPasswordCommand, ConfirmForgotPasswordCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../helpers/server.js';
import { adminCreate, expectError, startServer } from '../../helpers/admin.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});

const reset = (Username: string, UserPoolId = srv.demo.poolId) => srv.cognito.send(new AdminResetUserPasswordCommand({ UserPoolId, Username }));
const status = async (Username: string) =>
  (await srv.cognito.send(new AdminGetUserCommand({ UserPoolId: srv.demo.poolId, Username }))).UserStatus;

describe('AdminResetUserPassword', () => {
  it('puts the user in RESET_REQUIRED and mails a reset code that ConfirmForgotPassword accepts', async () => {
    const user = await adminCreate(srv, { Username: 'taro.@ezweb.ne.jp', UserAttributes: [{ Name: 'email_verified', Value: 'true' }] });
    await srv.store.users.updateUser(user.Username!, { status: 'CONFIRMED' });
    await reset('taro.@ezweb.ne.jp');
    expect(await status('taro.@ezweb.ne.jp')).toBe('RESET_REQUIRED');
    const [mail] = await srv.mail('taro.@ezweb.ne.jp');
    expect(mail).toBeDefined();
    const code = await srv.latestCode('taro.@ezweb.ne.jp');
    const stored = await srv.store.codes.findCode(user.Username!, 'FORGOT_PASSWORD');
    expect(stored).toBeDefined();

    await srv.publicClient.send(
      new ConfirmForgotPasswordCommand({ ClientId: srv.demo.clientId, Username: 'taro.@ezweb.ne.jp', ConfirmationCode: code, Password: 'N3w-Passw0rd!' }),
    );
    expect(await status('taro.@ezweb.ne.jp')).toBe('CONFIRMED');
  });

  it('sends nothing to an unverified address', async () => {
    const user = await adminCreate(srv, { Username: 'unverified@docomo.ne.jp' });
    await srv.store.users.updateUser(user.Username!, { status: 'CONFIRMED' });
    await reset('unverified@docomo.ne.jp');
    expect(await status('unverified@docomo.ne.jp')).toBe('RESET_REQUIRED');
    expect(await srv.mail('unverified@docomo.ne.jp')).toHaveLength(0);
  });

  it('refuses a user who still has a temporary password', async () => {
    await adminCreate(srv, { Username: 'invited@example.jp' });
    await expectError(reset('invited@example.jp'), 'NotAuthorizedException', 'User password cannot be reset in the current state.');
  });

  it('answers UserNotFoundException and ResourceNotFoundException', async () => {
    await expectError(reset('nobody@example.jp'), 'UserNotFoundException');
    await expectError(reset('x@example.jp', `${srv.region}_NoSuchPool`), 'ResourceNotFoundException');
  });
});
