// GlobalSignOut and AdminUserGlobalSignOut end every session of the user: access tokens
// are refused by GetUser and refresh tokens no longer refresh. A new sign-in works.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminUserGlobalSignOutCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../helpers/server.js';
import { confirmedUser, expectError, passwordSignIn, startServer, verifiers } from '../../helpers/sign-in.js';

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
function refresh(RefreshToken: string) {
  return srv.publicClient.send(new GetTokensFromRefreshTokenCommand({ RefreshToken, ClientId: srv.demo.clientId }));
}
function initiateRefresh(REFRESH_TOKEN: string) {
  return srv.publicClient.send(new InitiateAuthCommand({ ClientId: srv.demo.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN } }));
}

describe('GlobalSignOut', () => {
  it('revokes every session of the user', async () => {
    const email = 'global@example.jp';
    await confirmedUser(srv, email);
    const a = await passwordSignIn(srv, email);
    const b = await passwordSignIn(srv, email);
    const other = 'bystander@example.jp';
    await confirmedUser(srv, other);
    const c = await passwordSignIn(srv, other);

    await srv.publicClient.send(new GlobalSignOutCommand({ AccessToken: a.AccessToken! }));

    for (const s of [a, b]) {
      await expectError(getUser(s.AccessToken!), 'NotAuthorizedException', 'Access Token has been revoked');
      await expectError(refresh(s.RefreshToken!), 'NotAuthorizedException', 'Refresh Token has been revoked');
      await expectError(initiateRefresh(s.RefreshToken!), 'NotAuthorizedException', 'Refresh Token has been revoked');
    }
    // The revoked JWTs still verify by signature and expiry alone, as Cognito's do.
    await (await verifiers(srv)).access(a.AccessToken!);
    // Other users are untouched; a new sign-in works.
    expect((await getUser(c.AccessToken!)).Username).toBeTruthy();
    const again = await passwordSignIn(srv, email);
    expect((await getUser(again.AccessToken!)).Username).toBeTruthy();
  });

  it('refuses a token that is not an access token', async () => {
    const email = 'global-id@example.jp';
    await confirmedUser(srv, email);
    const s = await passwordSignIn(srv, email);
    await expectError(srv.publicClient.send(new GlobalSignOutCommand({ AccessToken: s.IdToken! })), 'NotAuthorizedException');
  });
});

describe('AdminUserGlobalSignOut', () => {
  it('revokes every session of the named user', async () => {
    const email = 'admin-global@example.jp';
    await confirmedUser(srv, email);
    const s = await passwordSignIn(srv, email);
    await srv.cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: srv.demo.poolId, Username: email }));
    await expectError(getUser(s.AccessToken!), 'NotAuthorizedException', 'Access Token has been revoked');
    await expectError(refresh(s.RefreshToken!), 'NotAuthorizedException', 'Refresh Token has been revoked');
  });

  it('reports an unknown user', async () => {
    await expectError(
      srv.cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: srv.demo.poolId, Username: 'ghost@example.jp' })),
      'UserNotFoundException',
    );
  });
});
