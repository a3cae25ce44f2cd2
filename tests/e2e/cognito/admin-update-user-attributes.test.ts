import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  ConfirmSignUpCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
  type AttributeType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../helpers/server.js';
import { adminCreate, createPool, expectError, startServer, storedUser } from '../../helpers/admin.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});

const update = (Username: string, UserAttributes: AttributeType[], UserPoolId = srv.demo.poolId) =>
  srv.cognito.send(new AdminUpdateUserAttributesCommand({ UserPoolId, Username, UserAttributes }));
const attrs = async (Username: string, UserPoolId = srv.demo.poolId) => {
  const got = await srv.cognito.send(new AdminGetUserCommand({ UserPoolId, Username }));
  return Object.fromEntries(got.UserAttributes!.map((a) => [a.Name, a.Value]));
};

describe('AdminUpdateUserAttributes', () => {
  it('sets ordinary attributes and email_verified', async () => {
    await adminCreate(srv, { Username: 'taro@docomo.ne.jp' });
    await update('taro@docomo.ne.jp', [
      { Name: 'name', Value: '太郎' },
      { Name: 'email_verified', Value: 'true' },
    ]);
    expect(await attrs('taro@docomo.ne.jp')).toMatchObject({ name: '太郎', email_verified: 'true', email: 'taro@docomo.ne.jp' });
  });

  it('a new email is unverified, gets a code when the pool auto-verifies email, and becomes the sign-in address', async () => {
    const user = await adminCreate(srv, { Username: 'old@docomo.ne.jp', UserAttributes: [{ Name: 'email_verified', Value: 'true' }] });
    await update('old@docomo.ne.jp', [{ Name: 'email', Value: 'taro.@ezweb.ne.jp' }]);
    expect(await attrs(user.Username!)).toMatchObject({ email: 'taro.@ezweb.ne.jp', email_verified: 'false' });
    expect(await srv.latestCode('taro.@ezweb.ne.jp')).toMatch(/^\d{6}$/);
    expect((await storedUser(srv, user.Username!)).emailKey).toBe('taro.@ezweb.ne.jp');
    await expectError(srv.cognito.send(new AdminGetUserCommand({ UserPoolId: srv.demo.poolId, Username: 'old@docomo.ne.jp' })), 'UserNotFoundException');
    expect((await attrs('taro.@ezweb.ne.jp')).sub).toBe(user.Username);
  });

  it("an unconfirmed user's sign-up code, mailed to the old address, stops confirming once the address changes", async () => {
    const out = await srv.publicClient.send(new SignUpCommand({ ClientId: srv.demo.clientId, Username: 'first@docomo.ne.jp', Password: 'Passw0rd!x' }));
    const oldCode = await srv.latestCode('first@docomo.ne.jp');
    await update('first@docomo.ne.jp', [{ Name: 'email', Value: 'second@docomo.ne.jp' }]);
    const confirm = (code: string) =>
      srv.publicClient.send(new ConfirmSignUpCommand({ ClientId: srv.demo.clientId, Username: 'second@docomo.ne.jp', ConfirmationCode: code }));
    // The code proved the old address, not the new one: it must neither confirm the user nor verify second@.
    await expectError(confirm(oldCode), 'ExpiredCodeException');
    expect((await storedUser(srv, out.UserSub!)).status).toBe('UNCONFIRMED');
    expect((await attrs(out.UserSub!)).email_verified).toBe('false');
    // A new code goes to the new address, and that one confirms and verifies it.
    await srv.publicClient.send(new ResendConfirmationCodeCommand({ ClientId: srv.demo.clientId, Username: 'second@docomo.ne.jp' }));
    await confirm(await srv.latestCode('second@docomo.ne.jp'));
    expect((await storedUser(srv, out.UserSub!)).status).toBe('CONFIRMED');
    expect((await attrs(out.UserSub!)).email_verified).toBe('true');
  });

  it('keeps the address verified and sends nothing when the same request sets email_verified=true', async () => {
    const user = await adminCreate(srv, { Username: 'before@au.com' });
    await update('before@au.com', [
      { Name: 'email', Value: 'after@au.com' },
      { Name: 'email_verified', Value: 'true' },
    ]);
    expect(await attrs(user.Username!)).toMatchObject({ email: 'after@au.com', email_verified: 'true' });
    expect(await srv.mail('after@au.com')).toHaveLength(0);
  });

  it('refuses an address another user signs in with', async () => {
    await adminCreate(srv, { Username: 'one@example.jp' });
    await adminCreate(srv, { Username: 'two@example.jp' });
    await expectError(update('two@example.jp', [{ Name: 'email', Value: 'ONE@example.jp' }]), 'AliasExistsException');
  });

  it('refuses unknown and non-mutable attributes and sub', async () => {
    await adminCreate(srv, { Username: 'schema@example.jp' });
    await expectError(update('schema@example.jp', [{ Name: 'custom:nope', Value: 'x' }]), 'InvalidParameterException', /schema/);
    await expectError(update('schema@example.jp', [{ Name: 'sub', Value: 'x' }]), 'InvalidParameterException', /sub/);
    const { poolId } = await createPool(srv, {
      Schema: [{ Name: 'member_no', AttributeDataType: 'String', Mutable: false }],
    });
    await adminCreate(srv, { UserPoolId: poolId, Username: 'member', UserAttributes: [{ Name: 'custom:member_no', Value: '1' }] });
    await expectError(update('member', [{ Name: 'custom:member_no', Value: '2' }], poolId), 'InvalidParameterException', /non-mutable/);
  });

  it('answers UserNotFoundException and ResourceNotFoundException', async () => {
    await expectError(update('nobody@example.jp', [{ Name: 'name', Value: 'x' }]), 'UserNotFoundException');
    await expectError(update('x@example.jp', [{ Name: 'name', Value: 'x' }], `${srv.region}_NoSuchPool`), 'ResourceNotFoundException');
  });
});
