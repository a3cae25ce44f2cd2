// GetUser: the signed-in user's username and attributes, sub first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminDisableUserCommand, GetUserCommand, SignUpCommand, AdminConfirmSignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../helpers/server.js';
import { PASSWORD, confirmedUser, createClient, expectError, passwordSignIn, startServer } from '../../helpers/sign-in.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});

function getUser(AccessToken: string) {
  return srv.publicClient.send(new GetUserCommand({ AccessToken }));
}

describe('GetUser', () => {
  it('returns the username and the attributes with sub first', async () => {
    const email = 'getuser@au.com';
    await srv.publicClient.send(
      new SignUpCommand({ ClientId: srv.demo.clientId, Username: email, Password: PASSWORD, UserAttributes: [{ Name: 'name', Value: '山田 太郎' }] }),
    );
    await srv.cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: srv.demo.poolId, Username: email }));
    const s = await passwordSignIn(srv, email);
    const out = await getUser(s.AccessToken!);
    const sub = out.UserAttributes![0]!;
    expect(sub.Name).toBe('sub');
    expect(out.Username).toBe(sub.Value);
    const attrs = Object.fromEntries(out.UserAttributes!.map((a) => [a.Name, a.Value]));
    expect(attrs).toMatchObject({ email, email_verified: 'false', name: '山田 太郎' });
    expect(out.MFAOptions).toBeUndefined();
    expect(out.UserMFASettingList).toBeUndefined();
  });

  it('shows only what the access token client may read', async () => {
    const clientId = await createClient(srv, { ReadAttributes: ['email'] });
    const email = 'readable@example.jp';
    await confirmedUser(srv, email);
    const s = await passwordSignIn(srv, email, undefined, clientId);
    const out = await getUser(s.AccessToken!);
    expect(out.UserAttributes!.map((a) => a.Name)).toEqual(['sub', 'email']);
  });

  it('refuses a malformed or forged token, and a disabled user', async () => {
    await expectError(getUser('not.a.jwt'), 'NotAuthorizedException', 'Invalid Access Token');
    const email = 'getuser-disabled@example.jp';
    await confirmedUser(srv, email);
    const s = await passwordSignIn(srv, email);
    const [h, p] = s.AccessToken!.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: '00000000-0000-4000-8000-000000000000' })).toString('base64url')}.${s.AccessToken!.split('.')[2]}`;
    await expectError(getUser(forged), 'NotAuthorizedException', 'Invalid Access Token');
    await srv.cognito.send(new AdminDisableUserCommand({ UserPoolId: srv.demo.poolId, Username: email }));
    await expectError(getUser(s.AccessToken!), 'NotAuthorizedException');
  });

  it('refuses an expired access token', async () => {
    const email = 'getuser-expired@example.jp';
    await confirmedUser(srv, email);
    const s = await passwordSignIn(srv, email);
    srv.clock.advance(3600_000);
    try {
      await expectError(getUser(s.AccessToken!), 'NotAuthorizedException', 'Access Token has expired');
    } finally {
      srv.clock.set(Date.now());
    }
  });
});
