// InitiateAuth end to end with the AWS SDK: USER_PASSWORD_AUTH issues tokens that
// aws-jwt-verify accepts; wrong passwords, unknown, unconfirmed, disabled and reset users
// fail as in Cognito; the lockout follows Cognito's schedule on the harness clock.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminDisableUserCommand,
  AdminResetUserPasswordCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../helpers/server.js';
import { computeSecretHash } from '../../../src/userpool/secret-hash.js';
import { PASSWORD, confirmedUser, createClient, expectError, passwordSignIn, startServer, storedUser, verifiers } from '../../helpers/sign-in.js';

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

function initiate(username: string, password: string, clientId = srv.demo.clientId, extra: Record<string, string> = {}) {
  return srv.publicClient.send(
    new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password, ...extra } }),
  );
}

describe('InitiateAuth USER_PASSWORD_AUTH', () => {
  it('signs a confirmed user in with tokens aws-jwt-verify accepts', async () => {
    const email = 'hanako@docomo.ne.jp';
    const sub = await confirmedUser(srv, email);
    const out = await initiate(email, PASSWORD);
    expect(out.ChallengeName).toBeUndefined();
    expect(out.ChallengeParameters).toEqual({});
    const r = out.AuthenticationResult!;
    expect(r.TokenType).toBe('Bearer');
    expect(r.ExpiresIn).toBe(3600);
    expect(r.RefreshToken).toMatch(/^[A-Za-z0-9_-]{64}$/);

    const v = await verifiers(srv);
    const id = await v.id(r.IdToken!);
    expect(id.sub).toBe(sub);
    expect(id.email).toBe(email);
    expect(id.email_verified).toBe(false);
    expect(id['cognito:username']).toBe(sub);
    const access = await v.access(r.AccessToken!);
    expect(access.client_id).toBe(srv.demo.clientId);
    expect(access.username).toBe(sub);
    // Both tokens of one sign-in carry the session as origin_jti.
    expect(access.origin_jti).toBe(id.origin_jti);
    const session = await srv.store.sessions.findSession(String(access.origin_jti));
    expect(session?.userSub).toBe(sub);
  });

  it('finds the user by email regardless of case', async () => {
    await confirmedUser(srv, 'Case.Mix@example.jp');
    const r = await passwordSignIn(srv, 'case.mix@EXAMPLE.jp');
    expect(r.AccessToken).toBeTruthy();
  });

  it('answers a wrong password with "Incorrect username or password."', async () => {
    await confirmedUser(srv, 'wrong-pw@example.jp');
    await expectError(initiate('wrong-pw@example.jp', 'Wr0ng-pass!'), 'NotAuthorizedException', /^Incorrect username or password\.$/);
  });

  it('answers an unknown user exactly like a wrong password when PreventUserExistenceErrors is ENABLED', async () => {
    await expectError(initiate('nobody@example.jp', PASSWORD), 'NotAuthorizedException', /^Incorrect username or password\.$/);
  });

  it('answers an unknown user with UserNotFoundException on a LEGACY client', async () => {
    const legacy = await createClient(srv, { PreventUserExistenceErrors: 'LEGACY' });
    await expectError(initiate('nobody@example.jp', PASSWORD, legacy), 'UserNotFoundException', 'User does not exist.');
  });

  it('says an unconfirmed user is not confirmed only when the password is right', async () => {
    const email = 'unconfirmed@example.jp';
    await srv.publicClient.send(new SignUpCommand({ ClientId: srv.demo.clientId, Username: email, Password: PASSWORD }));
    await expectError(initiate(email, 'Wr0ng-pass!'), 'NotAuthorizedException', 'Incorrect username or password.');
    await expectError(initiate(email, PASSWORD), 'UserNotConfirmedException', 'User is not confirmed.');
  });

  it('refuses a disabled user', async () => {
    const email = 'disabled@example.jp';
    await confirmedUser(srv, email);
    await srv.cognito.send(new AdminDisableUserCommand({ UserPoolId: srv.demo.poolId, Username: email }));
    await expectError(initiate(email, PASSWORD), 'NotAuthorizedException', 'User is disabled.');
  });

  it('asks a user whose password an administrator reset to reset it', async () => {
    const email = 'reset@example.jp';
    await confirmedUser(srv, email);
    await srv.cognito.send(new AdminResetUserPasswordCommand({ UserPoolId: srv.demo.poolId, Username: email }));
    await expectError(initiate(email, PASSWORD), 'PasswordResetRequiredException');
  });

  it('refuses the flow when the client does not enable it', async () => {
    const srpOnly = await createClient(srv, { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
    await expectError(initiate('x@example.jp', PASSWORD, srpOnly), 'InvalidParameterException', 'USER_PASSWORD_AUTH flow not enabled for this client');
  });

  it('refuses the admin flows on the public operation', async () => {
    const call = srv.publicClient.send(
      new InitiateAuthCommand({ ClientId: srv.demo.clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'a', PASSWORD: 'b' } }),
    );
    await expectError(call, 'InvalidParameterException', 'Initiate Auth method not supported.');
  });

  it('names a missing parameter, and an unknown client', async () => {
    const call = srv.publicClient.send(new InitiateAuthCommand({ ClientId: srv.demo.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'a' } }));
    await expectError(call, 'InvalidParameterException', 'Missing required parameter PASSWORD');
    await expectError(initiate('a@example.jp', PASSWORD, 'nosuchclient0000000000000'), 'ResourceNotFoundException');
  });

  it('checks SECRET_HASH on a client with a secret, over the name the caller used', async () => {
    const email = 'secret@example.jp';
    await confirmedUser(srv, email);
    const clientId = await createClient(srv, { GenerateSecret: true });
    const secret = (await srv.store.clients.findClient(clientId))!.secret!;
    await expectError(initiate(email, PASSWORD, clientId), 'NotAuthorizedException', `Client ${clientId} is configured with secret but SECRET_HASH was not received`);
    await expectError(initiate(email, PASSWORD, clientId, { SECRET_HASH: 'bm90IHRoZSBoYXNo' }), 'NotAuthorizedException', `Unable to verify secret hash for client ${clientId}`);
    const out = await initiate(email, PASSWORD, clientId, { SECRET_HASH: computeSecretHash(secret, email, clientId) });
    expect(out.AuthenticationResult?.AccessToken).toBeTruthy();
  });
});

describe('lockout', () => {
  it('locks the account after five failures, refuses even the right password meanwhile, and doubles the lockout', async () => {
    const email = 'brute@example.jp';
    const sub = await confirmedUser(srv, email);
    for (let i = 0; i < 4; i++) await expectError(initiate(email, `Wr0ng-${i}!`), 'NotAuthorizedException', 'Incorrect username or password.');
    expect(Number((await storedUser(srv, sub)).failedSignIns)).toBe(4);
    // The fifth failure starts a one-second lockout.
    await expectError(initiate(email, 'Wr0ng-5!'), 'NotAuthorizedException', 'Incorrect username or password.');
    await expectError(initiate(email, PASSWORD), 'NotAuthorizedException', 'Password attempts exceeded');
    // Attempts during the lockout are not counted.
    expect(Number((await storedUser(srv, sub)).failedSignIns)).toBe(5);

    srv.clock.advance(1000);
    await expectError(initiate(email, 'Wr0ng-6!'), 'NotAuthorizedException', 'Incorrect username or password.');
    // The sixth failure locks for two seconds (the exact schedule is unit-tested in lockout.test.ts).
    const row6 = await storedUser(srv, sub);
    expect(Number(row6.failedSignIns)).toBe(6);
    expect(Number(row6.lockedUntilMs) - srv.clock.nowMs()).toBeGreaterThan(1000);
    expect(Number(row6.lockedUntilMs) - srv.clock.nowMs()).toBeLessThanOrEqual(2000);
    srv.clock.advance(1000);
    await expectError(initiate(email, PASSWORD), 'NotAuthorizedException', 'Password attempts exceeded');
    srv.clock.advance(1000);
    const r = await passwordSignIn(srv, email);
    expect(r.AccessToken).toBeTruthy();
    // Success clears the counters.
    const row = await storedUser(srv, sub);
    expect(Number(row.failedSignIns)).toBe(0);
    expect(Number(row.lockedUntilMs)).toBe(0);
  });

  it('forgets failures after 15 quiet minutes', async () => {
    const email = 'forgetful@example.jp';
    const sub = await confirmedUser(srv, email);
    for (let i = 0; i < 3; i++) await expectError(initiate(email, `Wr0ng-${i}!`), 'NotAuthorizedException');
    srv.clock.advance(15 * 60_000);
    await expectError(initiate(email, 'Wr0ng-x!'), 'NotAuthorizedException');
    expect(Number((await storedUser(srv, sub)).failedSignIns)).toBe(1);
  });
});
