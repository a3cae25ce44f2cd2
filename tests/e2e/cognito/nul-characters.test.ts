// U+0000 in any string of a request: PostgreSQL's text cannot hold it (`invalid byte sequence
// for encoding "UTF8": 0x00`) while SQLite stores it, so without one check at the edge the same
// request answered 500 on one database and went through on the other. Issue 13 #4: both
// databases give InvalidParameterException naming the field, for every entry point.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminUpdateUserAttributesCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../helpers/server.js';
import { PASSWORD, confirmedUser, expectError, signIn, startServer } from '../../helpers/self-service.js';

let srv: TestServer;
let accessToken: string;
const USER = 'nul-user@example.jp';

beforeAll(async () => {
  srv = await startServer({ TODOKU_RATE_USER_RESOURCE: '0', TODOKU_RATE_USER_POOL_READ: '0' });
  await confirmedUser(srv, USER);
  accessToken = await signIn(srv, USER);
});
afterAll(async () => {
  await srv?.close();
});

const refused = (field: string) => new RegExp(`Value at '${field.replace(/\./g, '\\.')}' failed to satisfy constraint: Member must not contain the character U\\+0000`);

describe('U+0000 in a request', () => {
  it('InitiateAuth USERNAME, without authentication', async () => {
    await expectError(
      srv.publicClient.send(
        new InitiateAuthCommand({ ClientId: srv.demo.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'a\u0000b@example.jp', PASSWORD } }),
      ),
      'InvalidParameterException',
      refused('AuthParameters.USERNAME'),
    );
  });

  it('SignUp with an attribute value', async () => {
    await expectError(
      srv.publicClient.send(
        new SignUpCommand({
          ClientId: srv.demo.clientId,
          Username: 'nul-signup@example.jp',
          Password: PASSWORD,
          UserAttributes: [{ Name: 'name', Value: 'Ha\u0000nako' }],
        }),
      ),
      'InvalidParameterException',
      refused('UserAttributes.1.Value'),
    );
  });

  it('RespondToAuthChallenge USERNAME', async () => {
    await expectError(
      srv.publicClient.send(
        new RespondToAuthChallengeCommand({
          ClientId: srv.demo.clientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: 'x'.repeat(40),
          ChallengeResponses: { USERNAME: '\u0000', NEW_PASSWORD: PASSWORD },
        }),
      ),
      'InvalidParameterException',
      refused('ChallengeResponses.USERNAME'),
    );
  });

  it('UpdateUserAttributes with a token', async () => {
    await expectError(
      srv.publicClient.send(new UpdateUserAttributesCommand({ AccessToken: accessToken, UserAttributes: [{ Name: 'name', Value: '\u0000' }] })),
      'InvalidParameterException',
      refused('UserAttributes.1.Value'),
    );
  });

  it('AdminCreateUser, AdminUpdateUserAttributes, AdminInitiateAuth, ListUsers', async () => {
    await expectError(
      srv.cognito.send(new AdminCreateUserCommand({ UserPoolId: srv.demo.poolId, Username: 'x\u0000@example.jp', MessageAction: 'SUPPRESS' })),
      'InvalidParameterException',
      refused('Username'),
    );
    await expectError(
      srv.cognito.send(
        new AdminUpdateUserAttributesCommand({ UserPoolId: srv.demo.poolId, Username: USER, UserAttributes: [{ Name: 'family_name', Value: 'a\u0000' }] }),
      ),
      'InvalidParameterException',
      refused('UserAttributes.1.Value'),
    );
    await expectError(
      srv.cognito.send(
        new AdminInitiateAuthCommand({
          UserPoolId: srv.demo.poolId,
          ClientId: srv.demo.clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: `${USER}\u0000`, PASSWORD },
        }),
      ),
      'InvalidParameterException',
      refused('AuthParameters.USERNAME'),
    );
    await expectError(
      srv.cognito.send(new ListUsersCommand({ UserPoolId: srv.demo.poolId, Filter: 'email = "a\u0000"' })),
      'InvalidParameterException',
      refused('Filter'),
    );
  });

  it('a NUL in a map key is named too', async () => {
    await expectError(
      srv.publicClient.send(
        new InitiateAuthCommand({ ClientId: srv.demo.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: USER, PASSWORD, 'X\u0000': 'y' } }),
      ),
      'InvalidParameterException',
      /AuthParameters\.X\\u0000/,
    );
  });

  it('GET /_todoku/mail?to=%00 answers {error, field, message}', async () => {
    const res = await fetch(`${srv.url}/_todoku/mail?to=%00`, { headers: { authorization: srv.basicAuth() } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'InvalidParameter', field: 'to' });
  });

  it('a NUL in an operator body is refused the same way', async () => {
    const res = await fetch(`${srv.url}/_todoku/api/domains`, {
      method: 'POST',
      headers: { authorization: srv.basicAuth(), 'content-type': 'application/json' },
      body: JSON.stringify({ domain: 'ex\u0000ample.jp' }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'InvalidParameter', field: 'domain' });
  });
});
