// GetTokensFromRefreshToken (Amplify v6) and InitiateAuth REFRESH_TOKEN_AUTH: new ID and
// access tokens under the same session, no new refresh token; expired, revoked, foreign
// and unknown refresh tokens are refused as in Cognito.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GetTokensFromRefreshTokenCommand, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../helpers/server.js';
import { computeSecretHash } from '../../../src/userpool/secret-hash.js';
import { refreshTokenHash } from '../../../src/tokens/refresh.js';
import { confirmedUser, createClient, expectError, passwordSignIn, startServer, verifiers } from '../../helpers/sign-in.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});
// Operator calls are SigV4-signed with the real time: bring the harness clock back after time travel.
afterEach(() => {
  srv.clock.set(Date.now());
});

function getTokens(RefreshToken: string, ClientId = srv.demo.clientId, ClientSecret?: string) {
  return srv.publicClient.send(new GetTokensFromRefreshTokenCommand({ RefreshToken, ClientId, ...(ClientSecret ? { ClientSecret } : {}) }));
}

describe('GetTokensFromRefreshToken', () => {
  it('issues new ID and access tokens of the same session and keeps the refresh token', async () => {
    const email = 'refresh@example.jp';
    const sub = await confirmedUser(srv, email);
    const first = await passwordSignIn(srv, email);
    srv.clock.advance(60_000);
    const out = await getTokens(first.RefreshToken!);
    const r = out.AuthenticationResult!;
    expect(r.RefreshToken).toBeUndefined();
    expect(r.TokenType).toBe('Bearer');
    expect(r.ExpiresIn).toBe(3600);
    const v = await verifiers(srv);
    const [before, after] = [await v.access(first.AccessToken!), await v.access(r.AccessToken!)];
    expect(after.sub).toBe(sub);
    expect(after.origin_jti).toBe(before.origin_jti);
    expect(after.auth_time).toBe(before.auth_time);
    expect(after.jti).not.toBe(before.jti);
    expect((await v.id(r.IdToken!)).email).toBe(email);
    // Only the hash of the refresh token is stored.
    const session = await srv.store.sessions.findSession(String(after.origin_jti));
    expect(session!.refreshTokenHash).toBe(refreshTokenHash(first.RefreshToken!));
    expect(session!.refreshTokenHash).not.toContain(first.RefreshToken!);
  });

  it('refreshes through InitiateAuth REFRESH_TOKEN_AUTH and REFRESH_TOKEN too', async () => {
    const email = 'refresh-initiate@example.jp';
    await confirmedUser(srv, email);
    const first = await passwordSignIn(srv, email);
    for (const AuthFlow of ['REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN'] as const) {
      const out = await srv.publicClient.send(
        new InitiateAuthCommand({ ClientId: srv.demo.clientId, AuthFlow, AuthParameters: { REFRESH_TOKEN: first.RefreshToken! } }),
      );
      expect(out.ChallengeParameters).toEqual({});
      expect(out.AuthenticationResult!.AccessToken).toBeTruthy();
      expect(out.AuthenticationResult!.RefreshToken).toBeUndefined();
    }
  });

  it('refuses an unknown refresh token, and one issued to another client', async () => {
    await expectError(getTokens('bm90LWEtcmVmcmVzaC10b2tlbg'), 'NotAuthorizedException', 'Invalid Refresh Token');
    const email = 'other-client@example.jp';
    await confirmedUser(srv, email);
    const first = await passwordSignIn(srv, email);
    const other = await createClient(srv);
    await expectError(getTokens(first.RefreshToken!, other), 'NotAuthorizedException', 'Invalid Refresh Token');
  });

  it('refuses a refresh token past the client RefreshTokenValidity', async () => {
    const clientId = await createClient(srv, { RefreshTokenValidity: 60, TokenValidityUnits: { RefreshToken: 'minutes' } });
    const email = 'short-refresh@example.jp';
    await confirmedUser(srv, email);
    const first = await passwordSignIn(srv, email, undefined, clientId);
    srv.clock.advance(59 * 60_000);
    await getTokens(first.RefreshToken!, clientId);
    srv.clock.advance(60_000);
    await expectError(getTokens(first.RefreshToken!, clientId), 'NotAuthorizedException', 'Refresh Token has expired');
  });

  it('needs the client secret of a client that has one', async () => {
    const clientId = await createClient(srv, { GenerateSecret: true });
    const secret = (await srv.store.clients.findClient(clientId))!.secret!;
    const email = 'secret-refresh@example.jp';
    const sub = await confirmedUser(srv, email);
    // Email-username pool: SECRET_HASH over the address the user signs in with.
    const first = await passwordSignIn(srv, email, undefined, clientId, { SECRET_HASH: computeSecretHash(secret, email, clientId) });
    await expectError(getTokens(first.RefreshToken!, clientId), 'NotAuthorizedException', /ClientSecret/);
    await expectError(getTokens(first.RefreshToken!, clientId, 'x'.repeat(51)), 'NotAuthorizedException', /ClientSecret/);
    const out = await getTokens(first.RefreshToken!, clientId, secret);
    expect(out.AuthenticationResult!.IdToken).toBeTruthy();
    // InitiateAuth refresh takes SECRET_HASH over the token's user: the stored username (the sub here).
    const viaInitiate = await srv.publicClient.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: first.RefreshToken!, SECRET_HASH: computeSecretHash(secret, sub, clientId) },
      }),
    );
    expect(viaInitiate.AuthenticationResult!.AccessToken).toBeTruthy();
  });

  it('refuses a client that does not enable refresh', async () => {
    const clientId = await createClient(srv, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
    const email = 'no-refresh@example.jp';
    await confirmedUser(srv, email);
    const first = await passwordSignIn(srv, email, undefined, clientId);
    await srv.store.clients.updateClient(clientId, 'no-refresh', { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] }, srv.clock.nowMs());
    await expectError(getTokens(first.RefreshToken!, clientId), 'InvalidParameterException', 'REFRESH_TOKEN_AUTH flow not enabled for this client');
  });
});
