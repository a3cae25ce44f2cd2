import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminDeleteUserCommand, AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../helpers/server.js';
import { adminCreate, expectError, startServer } from '../../helpers/admin.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});

const get = (Username: string, UserPoolId = srv.demo.poolId) => srv.cognito.send(new AdminGetUserCommand({ UserPoolId, Username }));

describe('AdminGetUser', () => {
  it('finds a user by email or sub and shows Cognito fields only', async () => {
    const created = await adminCreate(srv, {
      Username: 'taro.@ezweb.ne.jp',
      UserAttributes: [
        { Name: 'name', Value: '山田太郎' },
        { Name: 'email_verified', Value: 'true' },
      ],
    });
    for (const name of ['taro.@ezweb.ne.jp', 'TARO.@EZWEB.NE.JP', created.Username!]) {
      const got = await get(name);
      expect(got.Username).toBe(created.Username);
      expect(got.UserAttributes).toEqual([
        { Name: 'sub', Value: created.Username },
        { Name: 'email', Value: 'taro.@ezweb.ne.jp' },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'name', Value: '山田太郎' },
      ]);
      expect(got.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
      expect(got.Enabled).toBe(true);
      expect(got.UserCreateDate).toEqual(created.UserCreateDate);
      expect(got.UserLastModifiedDate).toEqual(created.UserLastModifiedDate);
      expect(got.MFAOptions).toBeUndefined();
    }
  });

  it('answers UserNotFoundException and ResourceNotFoundException', async () => {
    await expectError(get('nobody@example.jp'), 'UserNotFoundException', 'User does not exist.');
    await expectError(get('taro.@ezweb.ne.jp', `${srv.region}_NoSuchPool`), 'ResourceNotFoundException');
  });
});

describe('AdminDeleteUser', () => {
  it('deletes the user with its attributes; the address can be used again', async () => {
    const created = await adminCreate(srv, { Username: 'gone@docomo.ne.jp' });
    await srv.cognito.send(new AdminDeleteUserCommand({ UserPoolId: srv.demo.poolId, Username: 'gone@docomo.ne.jp' }));
    await expectError(get('gone@docomo.ne.jp'), 'UserNotFoundException');
    expect(await srv.store.users.getAttributes(created.Username!)).toEqual({});
    await adminCreate(srv, { Username: 'gone@docomo.ne.jp' });
  });

  it('answers UserNotFoundException and ResourceNotFoundException', async () => {
    await expectError(srv.cognito.send(new AdminDeleteUserCommand({ UserPoolId: srv.demo.poolId, Username: 'nobody@example.jp' })), 'UserNotFoundException');
    await expectError(
      srv.cognito.send(new AdminDeleteUserCommand({ UserPoolId: `${srv.region}_NoSuchPool`, Username: 'x@example.jp' })),
      'ResourceNotFoundException',
    );
  });
});
