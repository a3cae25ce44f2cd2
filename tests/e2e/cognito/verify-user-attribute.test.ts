// GetUserAttributeVerificationCode and VerifyUserAttribute end to end: the mailed code
// verifies the email once; wrong, expired and stale codes do not, nor does a code mailed
// to an address that another has replaced.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  InitiateAuthCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../helpers/server.js';
import {
  HOUR_MS,
  PASSWORD,
  attributesOf,
  claimsOf,
  confirmedUser,
  confirmedUserIn,
  createKeepOriginalPool,
  createPool,
  expectError,
  signIn,
  startServer,
  storedUser,
  tick,
  wrongCode,
  mailKinds,
} from '../../helpers/self-service.js';

let srv: TestServer;
let noAutoVerify: { poolId: string; clientId: string };
let keepsOriginal: { poolId: string; clientId: string };
beforeAll(async () => {
  srv = await startServer();
  // Admin calls are SigV4-signed against the server's clock: make them before tests move it.
  noAutoVerify = await createPool(srv, { AutoVerifiedAttributes: [] });
  keepsOriginal = await createKeepOriginalPool(srv);
});
afterAll(async () => {
  await srv?.close();
});

function getCode(accessToken: string, attributeName = 'email') {
  tick(srv);
  return srv.publicClient.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: accessToken, AttributeName: attributeName }));
}

function verify(accessToken: string, code: string, attributeName = 'email') {
  return srv.publicClient.send(new VerifyUserAttributeCommand({ AccessToken: accessToken, AttributeName: attributeName, Code: code }));
}

describe('VerifyUserAttribute', () => {
  it('verifies a changed email with the code UpdateUserAttributes mailed', async () => {
    const newEmail = 'hanako..suzuki@docomo.ne.jp';
    const sub = await confirmedUser(srv, 'hanako@example.jp');
    const token = await signIn(srv, 'hanako@example.jp');
    tick(srv);
    await srv.publicClient.send(new UpdateUserAttributesCommand({ AccessToken: token, UserAttributes: [{ Name: 'email', Value: newEmail }] }));
    const code = await srv.latestCode(newEmail);

    await verify(token, code);

    expect(await attributesOf(srv, sub)).toMatchObject({ email: newEmail, email_verified: 'true' });
    await expectError(verify(token, code), 'ExpiredCodeException');
  });

  it('verifies with a code from GetUserAttributeVerificationCode', async () => {
    const email = 'again@example.jp';
    const sub = await confirmedUser(srv, email);
    const token = await signIn(srv, email);
    const out = await getCode(token);
    expect(out.CodeDeliveryDetails).toEqual({ Destination: 'a***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    const mails = await srv.mail(email);
    expect(mails).toHaveLength(2);
    expect((await mailKinds(srv, email)).sort()).toEqual(['SIGN_UP', 'VERIFY_ATTRIBUTE']);
    await srv.store.users.setAttributes(srv.demo.poolId, sub, { email_verified: 'false' });

    await verify(token, await srv.latestCode(email));
    expect((await attributesOf(srv, sub)).email_verified).toBe('true');
  });

  it('answers a wrong code with CodeMismatchException and drops the code after five', async () => {
    const email = 'fumble@example.jp';
    await confirmedUser(srv, email);
    const token = await signIn(srv, email);
    await getCode(token);
    const code = await srv.latestCode(email);
    await expectError(verify(token, wrongCode(code)), 'CodeMismatchException', 'Invalid verification code provided, please try again.');
    for (let i = 0; i < 4; i++) await expectError(verify(token, wrongCode(code)), 'CodeMismatchException');
    await expectError(verify(token, code), 'LimitExceededException');
    await expectError(verify(token, code), 'ExpiredCodeException');
  });

  it('lets a code expire after 24 hours', async () => {
    const email = 'expire@example.jp';
    await confirmedUser(srv, email);
    await getCode(await signIn(srv, email));
    const code = await srv.latestCode(email);
    srv.clock.advance(24 * HOUR_MS + 1);
    // The first access token has expired by now too.
    await expectError(verify(await signIn(srv, email), code), 'ExpiredCodeException');
  });

  it('does not accept a code sent for the previous address', async () => {
    const { clientId } = noAutoVerify;
    const out = await srv.publicClient.send(
      new SignUpCommand({ ClientId: clientId, Username: 'shiro', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'shiro@example.jp' }] }),
    );
    await srv.store.users.updateUser(out.UserSub!, { status: 'CONFIRMED' });
    const token = await signIn(srv, 'shiro', PASSWORD, clientId);
    await getCode(token);
    const code = await srv.latestCode('shiro@example.jp');
    await srv.publicClient.send(new UpdateUserAttributesCommand({ AccessToken: token, UserAttributes: [{ Name: 'email', Value: 'shiro@softbank.ne.jp' }] }));
    await expectError(verify(token, code), 'ExpiredCodeException');
    expect((await attributesOf(srv, out.UserSub!)).email_verified).toBe('false');
  });

  /** A confirmed user of the no-auto-verify pool (username sign-in), with a signed-in token. */
  async function usernameUser(username: string, email: string): Promise<{ sub: string; token: string }> {
    const { clientId } = noAutoVerify;
    const out = await srv.publicClient.send(
      new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }] }),
    );
    await srv.store.users.updateUser(out.UserSub!, { status: 'CONFIRMED' });
    return { sub: out.UserSub!, token: await signIn(srv, username, PASSWORD, clientId) };
  }

  /**
   * Changes the email straight in the database, as a concurrent update that committed
   * between the code's issue and the mail's read would leave it: the pending code is not
   * voided, so only the code's binding to its address stands between it and the new one.
   */
  async function raceEmailTo(sub: string, email: string): Promise<void> {
    await srv.store.users.setAttributes(noAutoVerify.poolId, sub, { email, email_verified: 'false' });
  }

  it('does not let a code mailed to one address verify the address that replaced it', async () => {
    const { sub, token } = await usernameUser('kuro', 'kuro@example.jp');
    await getCode(token);
    const code = await srv.latestCode('kuro@example.jp');
    await raceEmailTo(sub, 'kuro@docomo.ne.jp');

    await expectError(verify(token, code), 'CodeMismatchException', 'Invalid verification code provided, please try again.');
    expect(await attributesOf(srv, sub)).toMatchObject({ email: 'kuro@docomo.ne.jp', email_verified: 'false' });
    expect(await srv.mail('kuro@docomo.ne.jp')).toHaveLength(0);

    // The code is still good for the address it went to.
    await raceEmailTo(sub, 'kuro@example.jp');
    await verify(token, code);
    expect(await attributesOf(srv, sub)).toMatchObject({ email: 'kuro@example.jp', email_verified: 'true' });
  });

  it('binds the address exactly as stored: a code mailed to Tama@ does not verify tama@', async () => {
    const { sub, token } = await usernameUser('tama', 'Tama@example.jp');
    await getCode(token);
    const code = await srv.latestCode('Tama@example.jp');
    await raceEmailTo(sub, 'tama@example.jp');
    await expectError(verify(token, code), 'CodeMismatchException');
    expect((await attributesOf(srv, sub)).email_verified).toBe('false');
  });

  it('does not let the code UpdateUserAttributes mailed verify an address that replaced it', async () => {
    const sub = await confirmedUser(srv, 'mike@example.jp');
    const token = await signIn(srv, 'mike@example.jp');
    tick(srv);
    await srv.publicClient.send(new UpdateUserAttributesCommand({ AccessToken: token, UserAttributes: [{ Name: 'email', Value: 'mike@au.com' }] }));
    const code = await srv.latestCode('mike@au.com');
    await srv.store.users.setAttributes(srv.demo.poolId, sub, { email: 'mike@softbank.ne.jp' });

    await expectError(verify(token, code), 'CodeMismatchException');
    expect(await attributesOf(srv, sub)).toMatchObject({ email: 'mike@softbank.ne.jp', email_verified: 'false' });
  });

  it('answers a right code stored before codes were bound to their address with ExpiredCodeException', async () => {
    const { sub, token } = await usernameUser('pochi', 'pochi@example.jp');
    await getCode(token);
    const code = await srv.latestCode('pochi@example.jp');
    // The hash as it was stored before binding: sub, purpose and code only.
    const legacy = createHmac('sha256', srv.deps.codeKey).update(`${sub}\nVERIFY:email\n${code}`).digest('base64url');
    const stored = await srv.store.codes.findCode(sub, 'VERIFY:email');
    await srv.store.codes.putCode({ ...stored!, codeHash: legacy });

    await expectError(verify(token, code), 'ExpiredCodeException');
    await expectError(verify(token, code), 'ExpiredCodeException');
    expect((await attributesOf(srv, sub)).email_verified).toBe('false');
  });

  it('sends codes for email only', async () => {
    const email = 'phone@example.jp';
    await confirmedUser(srv, email);
    const token = await signIn(srv, email);
    await expectError(getCode(token, 'phone_number'), 'InvalidParameterException', /phone_number/);
    await expectError(getCode(token, 'name'), 'InvalidParameterException', /name/);
  });
});

// AttributesRequireVerificationBeforeUpdate: the new email waits beside the current one until
// its code is entered (src/userpool/pending-email.ts).
describe('VerifyUserAttribute of an email held until verified', () => {
  const keeper = (email: string) => confirmedUserIn(srv, keepsOriginal.clientId, email);
  const keeperSignIn = (email: string) => signIn(srv, email, PASSWORD, keepsOriginal.clientId);
  function update(token: string, email: string) {
    tick(srv);
    return srv.publicClient.send(new UpdateUserAttributesCommand({ AccessToken: token, UserAttributes: [{ Name: 'email', Value: email }] }));
  }

  it('switches the new address in with its code: it signs in, verified, and the old one no longer does', async () => {
    const sub = await keeper('before@example.com');
    const token = await keeperSignIn('before@example.com');
    await update(token, 'after@example.com');

    await verify(token, await srv.latestCode('after@example.com'));

    expect(await attributesOf(srv, sub)).toMatchObject({ email: 'after@example.com', email_verified: 'true' });
    expect((await storedUser(srv, sub)).pendingEmail).toBeNull();
    const got = await srv.publicClient.send(new GetUserCommand({ AccessToken: await keeperSignIn('after@example.com') }));
    expect(got.UserAttributes).toEqual(expect.arrayContaining([{ Name: 'email', Value: 'after@example.com' }]));
    const tokens = await srv.publicClient.send(
      new InitiateAuthCommand({ ClientId: keepsOriginal.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'after@example.com', PASSWORD } }),
    );
    expect(claimsOf(tokens.AuthenticationResult!.IdToken!)).toMatchObject({ email: 'after@example.com', email_verified: true });
    await expectError(keeperSignIn('before@example.com'), 'UserNotFoundException');
  });

  it('answers AliasExistsException when another user took the address meanwhile, and keeps the old one', async () => {
    const sub = await keeper('slow@example.com');
    const token = await keeperSignIn('slow@example.com');
    await update(token, 'contested@example.com');
    const code = await srv.latestCode('contested@example.com');
    tick(srv);
    await keeper('contested@example.com');

    await expectError(verify(token, code), 'AliasExistsException');

    expect(await attributesOf(srv, sub)).toMatchObject({ email: 'slow@example.com', email_verified: 'true' });
    expect(await keeperSignIn('slow@example.com')).toBeTruthy();
  });

  it('takes only the code of the latest change: a second change replaces the first', async () => {
    const sub = await keeper('twice@example.com');
    const token = await keeperSignIn('twice@example.com');
    await update(token, 'first@au.com');
    const firstCode = await srv.latestCode('first@au.com');
    await update(token, 'second@au.com');
    const secondCode = await srv.latestCode('second@au.com');
    expect((await storedUser(srv, sub)).pendingEmail).toBe('second@au.com');

    if (firstCode !== secondCode) await expectError(verify(token, firstCode), 'CodeMismatchException');
    await verify(token, secondCode);
    expect(await attributesOf(srv, sub)).toMatchObject({ email: 'second@au.com', email_verified: 'true' });
  });

  it('GetUserAttributeVerificationCode mails the pending address, whose code then switches it in', async () => {
    const sub = await keeper('lost@example.com');
    const token = await keeperSignIn('lost@example.com');
    await update(token, 'lost@softbank.ne.jp');
    const out = await getCode(token);
    expect(out.CodeDeliveryDetails?.Destination).toBe('l***@s***');
    expect(await srv.mail('lost@softbank.ne.jp')).toHaveLength(2);

    await verify(token, await srv.latestCode('lost@softbank.ne.jp'));
    expect(await attributesOf(srv, sub)).toMatchObject({ email: 'lost@softbank.ne.jp', email_verified: 'true' });
  });
});

