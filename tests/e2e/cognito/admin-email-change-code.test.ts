// A verification code is for the address it was mailed to: when an operator changes the
// email (AdminUpdateUserAttributes, no new code sent), a code mailed to the old address
// must not verify the new one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminUpdateUserAttributesCommand,
  GetUserAttributeVerificationCodeCommand,
  SignUpCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../helpers/server.js';
import { PASSWORD, attributesOf, createPool, expectError, signIn, startServer } from '../../helpers/self-service.js';

let srv: TestServer;
let pool: { poolId: string; clientId: string };
beforeAll(async () => {
  srv = await startServer();
  pool = await createPool(srv, { AutoVerifiedAttributes: [] });
});
afterAll(async () => {
  await srv?.close();
});

describe('AdminUpdateUserAttributes and a pending email code', () => {
  it('voids the code mailed to the old address', async () => {
    const { poolId, clientId } = pool;
    const out = await srv.publicClient.send(
      new SignUpCommand({ ClientId: clientId, Username: 'shiro', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'shiro@example.jp' }] }),
    );
    const sub = out.UserSub!;
    await srv.store.users.updateUser(sub, { status: 'CONFIRMED' });
    const token = await signIn(srv, 'shiro', PASSWORD, clientId);
    await srv.publicClient.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName: 'email' }));
    const oldCode = await srv.latestCode('shiro@example.jp');

    await srv.cognito.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: 'shiro', UserAttributes: [{ Name: 'email', Value: 'someone-else@example.jp' }] }));

    srv.clock.advance(1000);
    await expectError(
      srv.publicClient.send(new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: 'email', Code: oldCode })),
      'ExpiredCodeException',
    );
    expect(await attributesOf(srv, sub)).toMatchObject({ email: 'someone-else@example.jp', email_verified: 'false' });
  });
});
