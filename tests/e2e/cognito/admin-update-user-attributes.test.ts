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
import { createKeepOriginalPool, liveCodes } from '../../helpers/self-service.js';

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

// API_AdminUpdateUserAttributes: "If your user pool requires verification before Amazon Cognito
// updates an attribute value that you specify in this request, Amazon Cognito doesn't
// immediately update the value … To update the value of an attribute that requires
// verification in the same API request, include the email_verified … attribute, with a value
// of true." UserAttributeUpdateSettingsType: AdminUpdateUserAttributes with email_verified=true
// also verifies an updated address.
describe('AdminUpdateUserAttributes with AttributesRequireVerificationBeforeUpdate', () => {
  let pool: { poolId: string; clientId: string };
  beforeAll(async () => {
    pool = await createKeepOriginalPool(srv);
  });
  const create = async (email: string) =>
    (await adminCreate(srv, { UserPoolId: pool.poolId, Username: email, UserAttributes: [{ Name: 'email_verified', Value: 'true' }] })).Username!;

  it('holds a new address until it is verified: AdminGetUser shows the old one, the code goes to the new one', async () => {
    const sub = await create('held@example.com');
    await update('held@example.com', [{ Name: 'email', Value: 'held@au.com' }], pool.poolId);
    expect(await attrs('held@example.com', pool.poolId)).toMatchObject({ sub, email: 'held@example.com', email_verified: 'true' });
    await expectError(srv.cognito.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'held@au.com' })), 'UserNotFoundException');
    expect(await srv.latestCode('held@au.com')).toMatch(/^\d{6}$/);
    expect((await storedUser(srv, sub)).pendingEmail).toBe('held@au.com');
  });

  it('switches at once, without a code, when the same request says email_verified=true, and drops a pending address', async () => {
    const sub = await create('now@example.com');
    await update('now@example.com', [{ Name: 'email', Value: 'pending@au.com' }], pool.poolId);
    await update(
      'now@example.com',
      [
        { Name: 'email', Value: 'now@au.com' },
        { Name: 'email_verified', Value: 'true' },
      ],
      pool.poolId,
    );
    expect(await attrs(sub, pool.poolId)).toMatchObject({ email: 'now@au.com', email_verified: 'true' });
    expect(await srv.mail('now@au.com')).toHaveLength(0);
    expect((await storedUser(srv, sub)).pendingEmail).toBeNull();
    expect((await storedUser(srv, sub)).usernameKey).toBe('now@au.com');
    expect(await liveCodes(srv, sub)).toEqual([]);
  });

  it('email_verified=true alone verifies the pending address and makes it the sign-in name', async () => {
    const sub = await create('promote@example.com');
    await update('promote@example.com', [{ Name: 'email', Value: 'promote@au.com' }], pool.poolId);
    await update('promote@example.com', [{ Name: 'email_verified', Value: 'true' }], pool.poolId);
    expect(await attrs('promote@au.com', pool.poolId)).toMatchObject({ sub, email: 'promote@au.com', email_verified: 'true' });
    expect((await storedUser(srv, sub)).pendingEmail).toBeNull();
    await expectError(srv.cognito.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'promote@example.com' })), 'UserNotFoundException');
  });

  it('refuses a pending address that another user took before it was verified', async () => {
    const sub = await create('late@example.com');
    await update('late@example.com', [{ Name: 'email', Value: 'late@au.com' }], pool.poolId);
    await create('late@au.com');
    await expectError(update('late@example.com', [{ Name: 'email_verified', Value: 'true' }], pool.poolId), 'AliasExistsException');
    expect(await attrs(sub, pool.poolId)).toMatchObject({ email: 'late@example.com', email_verified: 'true' });
  });
});

