// A client's WriteAttributes bind every self-service write, not only UpdateUserAttributes:
// SignUp and the NEW_PASSWORD_REQUIRED answer (userAttributes.*) must not set an attribute
// the client may not write (an app that keeps `custom:role` out of WriteAttributes relies on it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminCreateUserCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../helpers/server.js';
import { NEW_PASSWORD, PASSWORD, createPool, expectError, startServer } from '../../helpers/self-service.js';

let srv: TestServer;
let pool: { poolId: string; clientId: string };
beforeAll(async () => {
  srv = await startServer();
  pool = await createPool(
    srv,
    { Schema: [{ Name: 'role', AttributeDataType: 'String', Mutable: true }] },
    { WriteAttributes: ['email', 'name'] },
  );
});
afterAll(async () => {
  await srv?.close();
});

describe('WriteAttributes', () => {
  it('SignUp refuses an attribute the client may not write, and creates no user', async () => {
    await expectError(
      srv.publicClient.send(
        new SignUpCommand({
          ClientId: pool.clientId,
          Username: 'mallory',
          Password: PASSWORD,
          UserAttributes: [{ Name: 'email', Value: 'mallory@example.jp' }, { Name: 'custom:role', Value: 'admin' }],
        }),
      ),
      'NotAuthorizedException',
      'A client attempted to write unauthorized attribute',
    );
    expect(await srv.store.users.findUserByUsername(pool.poolId, 'mallory')).toBeUndefined();
    // What the client may write still signs up.
    const ok = await srv.publicClient.send(
      new SignUpCommand({ ClientId: pool.clientId, Username: 'alice', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'alice@example.jp' }, { Name: 'name', Value: 'Alice' }] }),
    );
    expect(ok.UserSub).toBeDefined();
  });

  it('the NEW_PASSWORD_REQUIRED answer refuses an attribute the client may not write', async () => {
    await srv.cognito.send(
      new AdminCreateUserCommand({ UserPoolId: pool.poolId, Username: 'bob', TemporaryPassword: 'Temp0rary!pw', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'bob@example.jp' }] }),
    );
    const challenge = await srv.publicClient.send(
      new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'bob', PASSWORD: 'Temp0rary!pw' } }),
    );
    expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    await expectError(
      srv.publicClient.send(
        new RespondToAuthChallengeCommand({
          ClientId: pool.clientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: challenge.Session!,
          ChallengeResponses: { USERNAME: 'bob', NEW_PASSWORD, 'userAttributes.custom:role': 'admin' },
        }),
      ),
      'NotAuthorizedException',
      'A client attempted to write unauthorized attribute',
    );
    const sub = (await srv.store.users.findUserByUsername(pool.poolId, 'bob'))!.sub;
    expect((await srv.store.users.getAttributes(sub))['custom:role']).toBeUndefined();
  });
});
