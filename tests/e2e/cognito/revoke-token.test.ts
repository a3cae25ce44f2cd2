// RevokeToken: the refresh token and the access tokens of its session stop working;
// the user's other sessions do not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetTokensFromRefreshTokenCommand, GetUserCommand, RevokeTokenCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../helpers/server.js';
import { confirmedUser, createClient, expectError, passwordSignIn, startServer } from '../../helpers/sign-in.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});

function revoke(Token: string, ClientId = srv.demo.clientId, ClientSecret?: string) {
  return srv.publicClient.send(new RevokeTokenCommand({ Token, ClientId, ...(ClientSecret ? { ClientSecret } : {}) }));
}
function getUser(AccessToken: string) {
  return srv.publicClient.send(new GetUserCommand({ AccessToken }));
}
function refresh(RefreshToken: string, ClientId = srv.demo.clientId) {
  return srv.publicClient.send(new GetTokensFromRefreshTokenCommand({ RefreshToken, ClientId }));
}

describe('RevokeToken', () => {
  it('revokes the refresh token and the access tokens of its session, not other sessions', async () => {
    const email = 'revoke@example.jp';
    await confirmedUser(srv, email);
    const phone = await passwordSignIn(srv, email);
    const laptop = await passwordSignIn(srv, email);
    const refreshed = (await refresh(phone.RefreshToken!)).AuthenticationResult!;

    await revoke(phone.RefreshToken!);

    await expectError(refresh(phone.RefreshToken!), 'NotAuthorizedException', 'Refresh Token has been revoked');
    await expectError(getUser(phone.AccessToken!), 'NotAuthorizedException', 'Access Token has been revoked');
    await expectError(getUser(refreshed.AccessToken!), 'NotAuthorizedException', 'Access Token has been revoked');
    expect((await getUser(laptop.AccessToken!)).Username).toBeTruthy();
    await refresh(laptop.RefreshToken!);
  });

  it('accepts an unknown or already revoked token without error (RFC 7009)', async () => {
    await revoke('bm90LWEtcmVmcmVzaC10b2tlbg');
    const email = 'revoke-twice@example.jp';
    await confirmedUser(srv, email);
    const s = await passwordSignIn(srv, email);
    await revoke(s.RefreshToken!);
    await revoke(s.RefreshToken!);
  });

  it('refuses an access token: only refresh tokens are revoked', async () => {
    const email = 'revoke-access@example.jp';
    await confirmedUser(srv, email);
    const s = await passwordSignIn(srv, email);
    await expectError(revoke(s.AccessToken!), 'UnsupportedTokenTypeException');
  });

  it('refuses a token of another client, and a client without its secret', async () => {
    const email = 'revoke-foreign@example.jp';
    await confirmedUser(srv, email);
    const s = await passwordSignIn(srv, email);
    const other = await createClient(srv);
    await expectError(revoke(s.RefreshToken!, other), 'UnauthorizedException');
    const withSecret = await createClient(srv, { GenerateSecret: true });
    await expectError(revoke(s.RefreshToken!, withSecret), 'UnauthorizedException', /ClientSecret/);
    // Still live.
    await refresh(s.RefreshToken!);
  });

  it('refuses on a client with token revocation switched off', async () => {
    const clientId = await createClient(srv, { EnableTokenRevocation: false });
    const email = 'revoke-off@example.jp';
    await confirmedUser(srv, email);
    const s = await passwordSignIn(srv, email, undefined, clientId);
    await expectError(revoke(s.RefreshToken!, clientId), 'UnsupportedOperationException');
  });
});
