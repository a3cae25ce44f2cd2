// AdminInitiateAuth end to end: the operator's password sign-in (and its legacy name),
// refresh through the admin operation, and the checks that differ from InitiateAuth.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminConfirmSignUpCommand,
  AdminInitiateAuthCommand,
  SignUpCommand,
  type AdminInitiateAuthCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../helpers/server.js';
import { computeSecretHash } from '../../../src/userpool/secret-hash.js';
import { PASSWORD, confirmedUser, createClient, createPool, expectError, startServer, verifiers } from '../../helpers/sign-in.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});

function adminInitiate(input: Partial<AdminInitiateAuthCommandInput> & { AuthParameters: Record<string, string> }) {
  return srv.cognito.send(
    new AdminInitiateAuthCommand({ UserPoolId: srv.demo.poolId, ClientId: srv.demo.clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', ...input }),
  );
}

describe('AdminInitiateAuth', () => {
  it('signs in with ADMIN_USER_PASSWORD_AUTH and refreshes with REFRESH_TOKEN_AUTH', async () => {
    const email = 'admin-signin@example.jp';
    const sub = await confirmedUser(srv, email);
    const out = await adminInitiate({ AuthParameters: { USERNAME: email, PASSWORD } });
    expect(out.ChallengeParameters).toEqual({});
    const r = out.AuthenticationResult!;
    const v = await verifiers(srv);
    expect((await v.id(r.IdToken!)).sub).toBe(sub);

    const refreshed = await adminInitiate({ AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: r.RefreshToken! } });
    expect(refreshed.AuthenticationResult!.RefreshToken).toBeUndefined();
    const access = await v.access(refreshed.AuthenticationResult!.AccessToken!);
    expect(access.sub).toBe(sub);
    expect(access.origin_jti).toBe((await v.access(r.AccessToken!)).origin_jti);
  });

  it('accepts the legacy ADMIN_NO_SRP_AUTH name', async () => {
    const email = 'legacy-flow@example.jp';
    await confirmedUser(srv, email);
    const out = await adminInitiate({ AuthFlow: 'ADMIN_NO_SRP_AUTH', AuthParameters: { USERNAME: email, PASSWORD } });
    expect(out.AuthenticationResult!.AccessToken).toBeTruthy();
  });

  it('refuses USER_PASSWORD_AUTH, which is the public flow', async () => {
    await expectError(adminInitiate({ AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'a', PASSWORD: 'b' } }), 'InvalidParameterException', 'Initiate Auth method not supported.');
  });

  it('refuses a client that does not enable the admin flow', async () => {
    const clientId = await createClient(srv, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
    await expectError(
      adminInitiate({ ClientId: clientId, AuthParameters: { USERNAME: 'a@example.jp', PASSWORD } }),
      'InvalidParameterException',
      'ADMIN_USER_PASSWORD_AUTH flow not enabled for this client',
    );
  });

  it('refuses a client of another pool', async () => {
    const other = await createPool(srv, {}, { ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
    await expectError(adminInitiate({ ClientId: other.clientId, AuthParameters: { USERNAME: 'a', PASSWORD } }), 'ResourceNotFoundException');
  });

  it('is refused without the operator signature', async () => {
    const call = srv.publicClient.send(
      new AdminInitiateAuthCommand({ UserPoolId: srv.demo.poolId, ClientId: srv.demo.clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'a', PASSWORD } }),
    );
    const err = await call.then(() => undefined, (e: { name: string }) => e);
    expect(err?.name).toMatch(/UnrecognizedClientException|InvalidSignatureException|AccessDeniedException/);
  });

  it('signs in a username pool user and checks SECRET_HASH over the username', async () => {
    const pool = await createPool(srv, { AutoVerifiedAttributes: [] }, { GenerateSecret: true, ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
    const secret = (await srv.store.clients.findClient(pool.clientId))!.secret!;
    await srv.publicClient.send(
      new SignUpCommand({ ClientId: pool.clientId, Username: 'taro', Password: PASSWORD, SecretHash: computeSecretHash(secret, 'taro', pool.clientId) }),
    );
    await srv.cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: pool.poolId, Username: 'taro' }));
    const out = await srv.cognito.send(
      new AdminInitiateAuthCommand({
        UserPoolId: pool.poolId,
        ClientId: pool.clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'taro', PASSWORD, SECRET_HASH: computeSecretHash(secret, 'taro', pool.clientId) },
      }),
    );
    const r = out.AuthenticationResult!;
    // Refresh on a secret client: SECRET_HASH over the token's user.
    await expectError(
      srv.cognito.send(
        new AdminInitiateAuthCommand({
          UserPoolId: pool.poolId,
          ClientId: pool.clientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: r.RefreshToken!, SECRET_HASH: computeSecretHash(secret, 'someone-else', pool.clientId) },
        }),
      ),
      'NotAuthorizedException',
      `SecretHash does not match for the client: ${pool.clientId}`,
    );
    const refreshed = await srv.cognito.send(
      new AdminInitiateAuthCommand({
        UserPoolId: pool.poolId,
        ClientId: pool.clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: r.RefreshToken!, SECRET_HASH: computeSecretHash(secret, 'taro', pool.clientId) },
      }),
    );
    expect(refreshed.AuthenticationResult!.IdToken).toBeTruthy();
  });
});
