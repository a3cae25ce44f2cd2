// UpdateUserAttributes end to end with an access token from InitiateAuth: a new email is
// unverified until its code is entered, becomes the sign-in name in an email pool, and
// must not belong to someone else; the client's WriteAttributes are respected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ForgotPasswordCommand,
  GetUserCommand,
  InitiateAuthCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  type AttributeType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../helpers/server.js';
import {
  PASSWORD,
  attributesOf,
  claimsOf,
  confirmedUser,
  confirmedUserIn,
  createClient,
  createKeepOriginalPool,
  createPool,
  expectError,
  signIn,
  startServer,
  tick,
  storedUser,
  liveCodes,
  mailKinds,
} from '../../helpers/self-service.js';

let srv: TestServer;
let nameOnlyClient: string;
let noAutoVerify: { poolId: string; clientId: string };
/** Email is the username, and a new email must be verified before it replaces the old one. */
let keepsOriginal: { poolId: string; clientId: string };
beforeAll(async () => {
  srv = await startServer();
  // Admin calls are SigV4-signed against the server's clock: make them before tests move it.
  nameOnlyClient = await createClient(srv, { WriteAttributes: ['name'] });
  noAutoVerify = await createPool(srv, { AutoVerifiedAttributes: [] });
  keepsOriginal = await createKeepOriginalPool(srv);
});
afterAll(async () => {
  await srv?.close();
});

function update(accessToken: string, attributes: AttributeType[]) {
  tick(srv);
  return srv.publicClient.send(new UpdateUserAttributesCommand({ AccessToken: accessToken, UserAttributes: attributes }));
}

describe('UpdateUserAttributes', () => {
  it('refuses an email change past the hourly code-mail cap with nothing written and nothing sent', async () => {
    const sub = await confirmedUser(srv, 'often@docomo.ne.jp');
    const token = await signIn(srv, 'often@docomo.ne.jp');
    let changed = 0;
    let refused: unknown;
    for (let i = 1; i <= 12 && refused === undefined; i++) {
      await update(token, [{ Name: 'email', Value: `often${i}@docomo.ne.jp` }]).then(
        () => changed++,
        (err: unknown) => (refused = err),
      );
    }
    expect((refused as { name?: string } | undefined)?.name).toBe('LimitExceededException');
    const attrs = await attributesOf(srv, sub);
    expect(attrs.email).toBe(`often${changed}@docomo.ne.jp`);
    expect(await srv.mail(`often${changed + 1}@docomo.ne.jp`)).toEqual([]);
  });

  it('changes the email of an email-username user: unverified, code mailed to the new address, new sign-in name', async () => {
    const oldEmail = 'taro..yamada@docomo.ne.jp';
    const newEmail = 'taro.@ezweb.ne.jp';
    const sub = await confirmedUser(srv, oldEmail);
    const token = await signIn(srv, oldEmail);

    const out = await update(token, [{ Name: 'email', Value: newEmail }]);

    expect(out.CodeDeliveryDetailsList).toEqual([{ Destination: 't***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' }]);
    const attrs = await attributesOf(srv, sub);
    expect(attrs.email).toBe(newEmail);
    expect(attrs.email_verified).toBe('false');
    expect((await storedUser(srv, sub)).emailKey).toBe(newEmail);
    expect(await srv.latestCode(newEmail)).toMatch(/^\d{6}$/);
    expect((await liveCodes(srv, sub)).map((c) => c.purpose)).toEqual(['VERIFY:email']);
    expect(await mailKinds(srv, newEmail)).toEqual(['VERIFY_ATTRIBUTE']);

    expect(await signIn(srv, newEmail)).toBeTruthy();
    await expectError(signIn(srv, oldEmail), 'NotAuthorizedException');
  });

  it('updates other attributes without sending anything', async () => {
    const email = 'plain@example.jp';
    const sub = await confirmedUser(srv, email);
    const out = await update(await signIn(srv, email), [
      { Name: 'name', Value: '山田 太郎' },
      { Name: 'locale', Value: 'ja-JP' },
    ]);
    expect(out.CodeDeliveryDetailsList ?? []).toEqual([]);
    const attrs = await attributesOf(srv, sub);
    expect(attrs).toMatchObject({ name: '山田 太郎', locale: 'ja-JP', email, email_verified: 'true' });
    expect(await srv.mail(email)).toHaveLength(1);
  });

  it('refuses an email another user signs in with', async () => {
    await confirmedUser(srv, 'taken@example.jp');
    const email = 'wants-it@example.jp';
    const sub = await confirmedUser(srv, email);
    await expectError(update(await signIn(srv, email), [{ Name: 'email', Value: 'TAKEN@example.jp' }]), 'AliasExistsException');
    expect((await attributesOf(srv, sub)).email).toBe(email);
  });

  it('does not let the user mark an attribute verified, or write one the schema lacks', async () => {
    const email = 'cheat@example.jp';
    await confirmedUser(srv, email);
    const token = await signIn(srv, email);
    await expectError(update(token, [{ Name: 'email_verified', Value: 'true' }]), 'InvalidParameterException', /email_verified/);
    await expectError(update(token, [{ Name: 'custom:nope', Value: 'x' }]), 'InvalidParameterException', /custom:nope/);
  });

  it("respects the client's WriteAttributes", async () => {
    const email = 'restricted@example.jp';
    await confirmedUser(srv, email);
    const token = await signIn(srv, email, PASSWORD, nameOnlyClient);
    await update(token, [{ Name: 'name', Value: 'ok' }]);
    await expectError(update(token, [{ Name: 'given_name', Value: 'no' }]), 'NotAuthorizedException', 'A client attempted to write unauthorized attribute');
  });

  it('refuses an invalid access token', async () => {
    await expectError(update('not.a.token', [{ Name: 'name', Value: 'x' }]), 'NotAuthorizedException');
  });

  it('unverifies a changed email without a code when the pool does not auto-verify email', async () => {
    const { poolId, clientId } = noAutoVerify;
    const out = await srv.publicClient.send(
      new SignUpCommand({ ClientId: clientId, Username: 'saburo', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'saburo@example.jp' }] }),
    );
    const sub = out.UserSub!;
    await srv.store.users.updateUser(sub, { status: 'CONFIRMED' });
    await srv.store.users.setAttributes(poolId, sub, { email_verified: 'true' });
    const result = await update(await signIn(srv, 'saburo', PASSWORD, clientId), [{ Name: 'email', Value: 'saburo@au.com' }]);
    expect(result.CodeDeliveryDetailsList ?? []).toEqual([]);
    expect(await attributesOf(srv, sub)).toMatchObject({ email: 'saburo@au.com', email_verified: 'false' });
    expect(await srv.mail('saburo@au.com')).toEqual([]);
  });
});

const confirmedKeeper = (email: string) => confirmedUserIn(srv, keepsOriginal.clientId, email);

// UserAttributeUpdateSettingsType: "Amazon Cognito doesn't change the value of the attribute
// until your user responds to the verification message and confirms the new value";
// API_UpdateUserAttributes: "Your user can sign in and receive messages with the original
// attribute value until they verify the new value."
describe('UpdateUserAttributes with AttributesRequireVerificationBeforeUpdate', () => {
  it('keeps the verified address until the new one is verified: the old one signs in, the new one does not', async () => {
    const sub = await confirmedKeeper('old@example.com');
    const token = await signIn(srv, 'old@example.com', PASSWORD, keepsOriginal.clientId);

    const out = await update(token, [{ Name: 'email', Value: 'new@example.com' }]);

    expect(out.CodeDeliveryDetailsList).toEqual([{ Destination: 'n***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' }]);
    expect(await srv.latestCode('new@example.com')).toMatch(/^\d{6}$/);
    expect(await attributesOf(srv, sub)).toMatchObject({ email: 'old@example.com', email_verified: 'true' });
    const got = await srv.publicClient.send(new GetUserCommand({ AccessToken: token }));
    expect(got.UserAttributes).toEqual(expect.arrayContaining([{ Name: 'email', Value: 'old@example.com' }, { Name: 'email_verified', Value: 'true' }]));
    expect(await signIn(srv, 'old@example.com', PASSWORD, keepsOriginal.clientId)).toBeTruthy();
    await expectError(signIn(srv, 'new@example.com', PASSWORD, keepsOriginal.clientId), 'UserNotFoundException');
    const tokens = await srv.publicClient.send(
      new InitiateAuthCommand({
        ClientId: keepsOriginal.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'old@example.com', PASSWORD },
      }),
    );
    expect(claimsOf(tokens.AuthenticationResult!.IdToken!)).toMatchObject({ email: 'old@example.com', email_verified: true });
  });

  it('sends other messages to the original address meanwhile: a password reset goes there', async () => {
    await confirmedKeeper('reset@example.com');
    await update(await signIn(srv, 'reset@example.com', PASSWORD, keepsOriginal.clientId), [{ Name: 'email', Value: 'reset@au.com' }]);
    tick(srv);
    const out = await srv.publicClient.send(new ForgotPasswordCommand({ ClientId: keepsOriginal.clientId, Username: 'reset@example.com' }));
    expect(out.CodeDeliveryDetails?.Destination).toBe('r***@e***');
    expect(await mailKinds(srv, 'reset@example.com')).toEqual(['SIGN_UP', 'FORGOT_PASSWORD']);
    expect(await mailKinds(srv, 'reset@au.com')).toEqual(['VERIFY_ATTRIBUTE']);
  });

  it('refuses, when it is asked for, an address another user signs in with', async () => {
    await confirmedKeeper('holder@example.com');
    const sub = await confirmedKeeper('asker@example.com');
    const token = await signIn(srv, 'asker@example.com', PASSWORD, keepsOriginal.clientId);
    const holdersMail = (await srv.mail('holder@example.com')).map((m) => m.id);
    await expectError(update(token, [{ Name: 'email', Value: 'Holder@example.com' }]), 'AliasExistsException');
    // Nothing new went to the address (the lookup ignores case: holder@'s own sign-up mail is there).
    expect((await srv.mail('Holder@example.com')).map((m) => m.id)).toEqual(holdersMail);
    expect((await storedUser(srv, sub)).pendingEmail).toBeNull();
  });

  it('applies the other attributes of the request at once', async () => {
    const sub = await confirmedKeeper('mixed@example.com');
    const token = await signIn(srv, 'mixed@example.com', PASSWORD, keepsOriginal.clientId);
    await update(token, [
      { Name: 'email', Value: 'mixed@au.com' },
      { Name: 'name', Value: '花子' },
    ]);
    expect(await attributesOf(srv, sub)).toMatchObject({ email: 'mixed@example.com', email_verified: 'true', name: '花子' });
    expect((await storedUser(srv, sub)).pendingEmail).toBe('mixed@au.com');
  });

  it('drops the pending address, and its code, when the user gives the current one again', async () => {
    const sub = await confirmedKeeper('undo@example.com');
    const token = await signIn(srv, 'undo@example.com', PASSWORD, keepsOriginal.clientId);
    await update(token, [{ Name: 'email', Value: 'undo@au.com' }]);
    const out = await update(token, [{ Name: 'email', Value: 'undo@example.com' }]);
    expect(out.CodeDeliveryDetailsList ?? []).toEqual([]);
    expect((await storedUser(srv, sub)).pendingEmail).toBeNull();
    expect(await liveCodes(srv, sub)).toEqual([]);
    expect(await attributesOf(srv, sub)).toMatchObject({ email: 'undo@example.com', email_verified: 'true' });
  });
});

