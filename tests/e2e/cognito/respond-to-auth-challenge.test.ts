// NEW_PASSWORD_REQUIRED: a user made by AdminCreateUser signs in with the temporary
// password, gets the challenge, and answers it (public and admin operations) to be
// confirmed and signed in. Sessions are single-purpose, short-lived and tamper-proof.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserPasswordCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../helpers/server.js';
import { NEW_PASSWORD, expectError, passwordSignIn, startServer, storedUser, verifiers } from '../../helpers/sign-in.js';

const TEMP = 'Temp0rary!pw';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});
afterEach(() => {
  srv.clock.set(Date.now());
});

async function invited(email: string, extra: { Name: string; Value: string }[] = []): Promise<string> {
  const out = await srv.cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: srv.demo.poolId,
      Username: email,
      TemporaryPassword: TEMP,
      MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email_verified', Value: 'true' }, ...extra],
    }),
  );
  return out.User!.Attributes!.find((a) => a.Name === 'sub')!.Value!;
}

function initiate(email: string, password = TEMP): Promise<InitiateAuthCommandOutput> {
  return srv.publicClient.send(
    new InitiateAuthCommand({ ClientId: srv.demo.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: password } }),
  );
}

function respond(Session: string, responses: Record<string, string>) {
  return srv.publicClient.send(
    new RespondToAuthChallengeCommand({ ClientId: srv.demo.clientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session, ChallengeResponses: responses }),
  );
}

describe('NEW_PASSWORD_REQUIRED', () => {
  it('challenges the temporary password and signs in with the new one', async () => {
    const email = 'invited@docomo.ne.jp';
    const sub = await invited(email, [{ Name: 'name', Value: '招待 花子' }]);
    const challenge = await initiate(email);
    expect(challenge.AuthenticationResult).toBeUndefined();
    expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    expect(challenge.Session!.length).toBeGreaterThanOrEqual(20);
    const params = challenge.ChallengeParameters!;
    expect(params.USER_ID_FOR_SRP).toBe(sub);
    expect(params.requiredAttributes).toBe('[]');
    expect(JSON.parse(params.userAttributes!)).toMatchObject({ email, email_verified: 'true', name: '招待 花子' });
    expect(JSON.parse(params.userAttributes!).sub).toBeUndefined();

    const out = await respond(challenge.Session!, { USERNAME: email, NEW_PASSWORD, 'userAttributes.name': '本名 花子' });
    expect(out.ChallengeParameters).toEqual({});
    const r = out.AuthenticationResult!;
    expect(r.RefreshToken).toBeTruthy();
    const id = await (await verifiers(srv)).id(r.IdToken!);
    expect(id.sub).toBe(sub);
    expect(id.name).toBe('本名 花子');

    const row = await storedUser(srv, sub);
    expect(row.status).toBe('CONFIRMED');
    await expectError(initiate(email, TEMP), 'NotAuthorizedException', 'Incorrect username or password.');
    expect((await passwordSignIn(srv, email, NEW_PASSWORD)).AccessToken).toBeTruthy();
    // The session was for one answer.
    await expectError(respond(challenge.Session!, { USERNAME: email, NEW_PASSWORD: 'An0ther-pass!' }), 'NotAuthorizedException', 'Invalid session for the user.');
  });

  it('answers through AdminRespondToAuthChallenge after AdminInitiateAuth', async () => {
    const email = 'admin-invited@example.jp';
    await invited(email);
    const challenge = await srv.cognito.send(
      new AdminInitiateAuthCommand({
        UserPoolId: srv.demo.poolId,
        ClientId: srv.demo.clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: TEMP },
      }),
    );
    expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    const out = await srv.cognito.send(
      new AdminRespondToAuthChallengeCommand({
        UserPoolId: srv.demo.poolId,
        ClientId: srv.demo.clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: challenge.Session!,
        ChallengeResponses: { USERNAME: email, NEW_PASSWORD },
      }),
    );
    expect(out.AuthenticationResult!.AccessToken).toBeTruthy();
  });

  it('applies the password policy and needs NEW_PASSWORD and USERNAME', async () => {
    const email = 'invited-weak@example.jp';
    await invited(email);
    const { Session } = await initiate(email);
    await expectError(respond(Session!, { USERNAME: email, NEW_PASSWORD: 'weak' }), 'InvalidPasswordException');
    await expectError(respond(Session!, { USERNAME: email }), 'InvalidParameterException', 'Missing required parameter NEW_PASSWORD');
    await expectError(respond(Session!, { NEW_PASSWORD }), 'InvalidParameterException', 'Missing required parameter USERNAME');
    // The failures left the challenge answerable.
    expect((await respond(Session!, { USERNAME: email, NEW_PASSWORD })).AuthenticationResult).toBeDefined();
  });

  it('refuses an expired, tampered or foreign session', async () => {
    const email = 'invited-slow@example.jp';
    await invited(email);
    const { Session } = await initiate(email);
    const tampered = Session!.slice(0, -4) + (Session!.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    await expectError(respond(tampered, { USERNAME: email, NEW_PASSWORD }), 'NotAuthorizedException', 'Invalid session for the user.');
    await expectError(respond(Session!, { USERNAME: 'someone-else@example.jp', NEW_PASSWORD }), 'NotAuthorizedException', 'Invalid session for the user.');
    // Three minutes by default (AuthSessionValidity).
    srv.clock.advance(3 * 60_000);
    await expectError(respond(Session!, { USERNAME: email, NEW_PASSWORD }), 'NotAuthorizedException', 'Invalid session for the user, session is expired.');
  });

  it('voids the session when an administrator sets a new temporary password', async () => {
    const email = 'invited-reset@example.jp';
    await invited(email);
    const { Session } = await initiate(email);
    await srv.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: srv.demo.poolId, Username: email, Password: 'Other-Temp0rary!', Permanent: false }));
    await expectError(respond(Session!, { USERNAME: email, NEW_PASSWORD }), 'NotAuthorizedException', 'Invalid session for the user.');
  });

  it('refuses a temporary password older than the pool allows', async () => {
    const email = 'invited-late@example.jp';
    await invited(email);
    srv.clock.advance(7 * 24 * 3600_000);
    await expectError(initiate(email), 'NotAuthorizedException', 'Temporary password has expired and must be reset by an administrator.');
  });

  it('refuses challenges todoku does not issue', async () => {
    const call = srv.publicClient.send(
      new RespondToAuthChallengeCommand({ ClientId: srv.demo.clientId, ChallengeName: 'SMS_MFA', Session: 'x'.repeat(40), ChallengeResponses: { USERNAME: 'a' } }),
    );
    await expectError(call, 'InvalidParameterException', /SMS_MFA/);
  });
});
