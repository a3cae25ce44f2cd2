import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminConfirmSignUpCommand, AdminGetUserCommand, ConfirmSignUpCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../helpers/server.js';
import { PASSWORD, adminCreate, expectError, startServer } from '../../helpers/admin.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});

const confirm = (Username: string, UserPoolId = srv.demo.poolId) => srv.cognito.send(new AdminConfirmSignUpCommand({ UserPoolId, Username }));

describe('AdminConfirmSignUp', () => {
  it('confirms an UNCONFIRMED user without a code, leaves email_verified alone and voids the mailed code', async () => {
    await srv.publicClient.send(new SignUpCommand({ ClientId: srv.demo.clientId, Username: 'taro..yamada@docomo.ne.jp', Password: PASSWORD }));
    const code = await srv.latestCode('taro..yamada@docomo.ne.jp');
    await confirm('taro..yamada@docomo.ne.jp');
    const got = await srv.cognito.send(new AdminGetUserCommand({ UserPoolId: srv.demo.poolId, Username: 'taro..yamada@docomo.ne.jp' }));
    expect(got.UserStatus).toBe('CONFIRMED');
    expect(got.UserAttributes!.find((a) => a.Name === 'email_verified')?.Value).toBe('false');
    await expect(
      srv.publicClient.send(new ConfirmSignUpCommand({ ClientId: srv.demo.clientId, Username: 'taro..yamada@docomo.ne.jp', ConfirmationCode: code })),
    ).rejects.toThrow();
  });

  it('refuses users that are not UNCONFIRMED with their status', async () => {
    await expectError(confirm('taro..yamada@docomo.ne.jp'), 'NotAuthorizedException', 'User cannot be confirmed. Current status is CONFIRMED');
    await adminCreate(srv, { Username: 'invited@example.jp' });
    await expectError(confirm('invited@example.jp'), 'NotAuthorizedException', 'User cannot be confirmed. Current status is FORCE_CHANGE_PASSWORD');
  });

  it('answers UserNotFoundException and ResourceNotFoundException', async () => {
    await expectError(confirm('nobody@example.jp'), 'UserNotFoundException');
    await expectError(confirm('x@example.jp', `${srv.region}_NoSuchPool`), 'ResourceNotFoundException');
  });
});
