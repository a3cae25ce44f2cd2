// ForgotPassword end to end: a reset code goes to the verified email; users who cannot
// receive one are refused — or, when the client hides user existence, answered as if a
// code had gone out, with nothing sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfirmSignUpCommand, ForgotPasswordCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../helpers/server.js';
import { PASSWORD, confirmedUser, createClient, createPool, expectError, signUp, startServer, tick, liveCodes, mailKinds } from '../../helpers/self-service.js';

let srv: TestServer;
let legacy: string;
let usernamePool: { poolId: string; clientId: string };
let hidingUsernamePool: { poolId: string; clientId: string };
let adminOnlyPool: { poolId: string; clientId: string };
beforeAll(async () => {
  srv = await startServer();
  // Admin calls are SigV4-signed against the server's clock: make them before tests move it.
  legacy = await createClient(srv, { PreventUserExistenceErrors: 'LEGACY' });
  usernamePool = await createPool(srv);
  hidingUsernamePool = await createPool(srv, {}, { PreventUserExistenceErrors: 'ENABLED' });
  adminOnlyPool = await createPool(srv, { AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'admin_only', Priority: 1 }] } });
});
afterAll(async () => {
  await srv?.close();
});

function forgot(username: string, clientId = srv.demo.clientId) {
  tick(srv);
  return srv.publicClient.send(new ForgotPasswordCommand({ ClientId: clientId, Username: username }));
}

describe('ForgotPassword', () => {
  it('mails a reset code to the verified docomo address', async () => {
    const email = 'taro..yamada@docomo.ne.jp';
    const sub = await confirmedUser(srv, email);
    const out = await forgot(email);
    expect(out.CodeDeliveryDetails).toEqual({ Destination: 't***@d***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    const [newest] = await srv.mail(email);
    expect(newest!.text).toMatch(/\b\d{6}\b/);
    const [code] = await liveCodes(srv, sub);
    expect(code!.purpose).toBe('FORGOT_PASSWORD');
    expect(code!.expiresAtMs - code!.createdAtMs).toBe(3600_000);
    expect((await mailKinds(srv, email)).sort()).toEqual(['FORGOT_PASSWORD', 'SIGN_UP']);
  });

  it('refuses a user without a verified email (LEGACY), and hides that with ENABLED', async () => {
    const email = 'unverified@example.jp';
    await signUp(srv, email);
    await expectError(
      forgot(email, legacy),
      'InvalidParameterException',
      'Cannot reset password for the user as there is no registered/verified email or phone_number',
    );
    const out = await forgot(email);
    expect(out.CodeDeliveryDetails).toEqual({ Destination: 'u***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    expect(await srv.mail(email)).toHaveLength(1); // the sign-up mail only
  });

  it('with PreventUserExistenceErrors=ENABLED answers a missing user plausibly and sends nothing', async () => {
    const out = await forgot('nobody@example.jp');
    expect(out.CodeDeliveryDetails).toEqual({ Destination: 'n***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    expect(await srv.mail('nobody@example.jp')).toEqual([]);
  });

  it('gives a missing non-email username the same simulated destination each time', async () => {
    const { clientId } = hidingUsernamePool;
    const a = await forgot('nobody', clientId);
    const b = await forgot('nobody', clientId);
    expect(a.CodeDeliveryDetails!.Destination).toMatch(/^[a-z]\*\*\*@[a-z]\*\*\*$/);
    expect(b.CodeDeliveryDetails).toEqual(a.CodeDeliveryDetails);
  });

  it('with LEGACY reports a missing user', async () => {
    await expectError(forgot('nobody@example.jp', legacy), 'UserNotFoundException', 'Username/client id combination not found.');
  });

  it('refuses a disabled user (LEGACY) and hides it with ENABLED', async () => {
    const email = 'disabled@example.jp';
    const sub = await confirmedUser(srv, email);
    await srv.store.users.updateUser(sub, { enabled: false });
    await expectError(forgot(email, legacy), 'NotAuthorizedException', 'User is disabled.');
    const out = await forgot(email);
    expect(out.CodeDeliveryDetails?.DeliveryMedium).toBe('EMAIL');
    expect(await srv.mail(email)).toHaveLength(1);
  });

  it('finds a username-pool user by username and mails the code to the email', async () => {
    const { clientId } = usernamePool;
    const email = 'jiro@ezweb.ne.jp';
    await srv.publicClient.send(
      new SignUpCommand({ ClientId: clientId, Username: 'jiro', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }] }),
    );
    await srv.publicClient.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'jiro', ConfirmationCode: await srv.latestCode(email) }));
    const out = await forgot('jiro', clientId);
    expect(out.CodeDeliveryDetails?.Destination).toBe('j***@e***');
    expect(await srv.mail(email)).toHaveLength(2);
  });

  it('refuses self-service recovery in an admin_only pool', async () => {
    const { clientId } = adminOnlyPool;
    await expectError(forgot('anyone', clientId), 'NotAuthorizedException');
  });
});
