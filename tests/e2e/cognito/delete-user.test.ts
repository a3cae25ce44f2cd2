// DeleteUser: the signed-in user deletes themselves; nothing of them is left, and their
// tokens stop working.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteUserCommand, GetTokensFromRefreshTokenCommand, GetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../helpers/server.js';
import { PASSWORD, confirmedUser, expectError, passwordSignIn, signUp, startServer, verifiers } from '../../helpers/sign-in.js';
import { liveCodes } from '../../helpers/self-service.js';
import { refreshTokenHash } from '../../../src/tokens/refresh.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});

describe('DeleteUser', () => {
  it('deletes the user, attributes, codes and sessions in one go', async () => {
    const email = 'leaving@softbank.ne.jp';
    const sub = await confirmedUser(srv, email);
    const s = await passwordSignIn(srv, email);
    await srv.publicClient.send(new DeleteUserCommand({ AccessToken: s.AccessToken! }));

    expect(await srv.store.users.findUserBySub(srv.demo.poolId, sub)).toBeUndefined();
    expect(await srv.store.users.getAttributes(sub), 'attributes').toEqual({});
    expect(await liveCodes(srv, sub), 'codes').toHaveLength(0);
    const sessionId = String((await (await verifiers(srv)).access(s.AccessToken!)).origin_jti);
    expect(await srv.store.sessions.findSession(sessionId), 'session').toBeUndefined();
    expect(await srv.store.sessions.findSessionByRefreshHash(refreshTokenHash(s.RefreshToken!)), 'session').toBeUndefined();
    await expectError(srv.publicClient.send(new GetUserCommand({ AccessToken: s.AccessToken! })), 'NotAuthorizedException');
    await expectError(
      srv.publicClient.send(new GetTokensFromRefreshTokenCommand({ RefreshToken: s.RefreshToken!, ClientId: srv.demo.clientId })),
      'NotAuthorizedException',
      'Invalid Refresh Token',
    );
    // The address is free again.
    await signUp(srv, email);
  });

  it('leaves an unknown-user answer behind on sign-in', async () => {
    const email = 'gone@example.jp';
    await confirmedUser(srv, email);
    const s = await passwordSignIn(srv, email);
    await srv.publicClient.send(new DeleteUserCommand({ AccessToken: s.AccessToken! }));
    await expectError(passwordSignIn(srv, email, PASSWORD), 'NotAuthorizedException', 'Incorrect username or password.');
  });
});
