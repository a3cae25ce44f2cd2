// Shared set-up for the code-based self-service tests (sign-up confirmation, password
// reset, attribute verification): a server, users in a known state, extra clients/pools.
import {
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  SignUpCommand,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { expect } from 'vitest';
import { startTestServer, type TestServer } from './server.js';
import type { CodePurpose, StoredCode, User } from '../../src/userpool/model.js';

export const PASSWORD = 'Passw0rd!';
export const NEW_PASSWORD = 'N3w-Passw0rd!';
export const HOUR_MS = 3600_000;

/**
 * The harness's clock stands still, so every request falls into the same one-second
 * window of the per-IP rate limits; these tests make more calls than one second allows.
 * `env` adds variables (a lowered attempt limit).
 */
export function startServer(env: Record<string, string> = {}): ReturnType<typeof startTestServer> {
  return startTestServer({
    env: {
      TODOKU_RATE_USER_CREATION: '0',
      TODOKU_RATE_ACCOUNT_RECOVERY: '0',
      TODOKU_RATE_USER_ACCOUNT: '0',
      TODOKU_RATE_USER_AUTHENTICATION: '0',
      ...env,
    },
  });
}

/**
 * Moves the harness clock on by a second. Captured mail is listed newest first by
 * creation time, so two mails to one address in the same millisecond of the standing
 * clock would leave `latestCode` to chance; call this before each further code mail.
 */
export function tick(srv: TestServer): void {
  srv.clock.advance(1000);
}

/** Moves the clock to the start of the next fixed window of `windowMs` (limit counters use fixed windows). */
export function startOfWindow(srv: TestServer, windowMs: number): void {
  srv.clock.set(Math.ceil((srv.clock.nowMs() + 1) / windowMs) * windowMs);
}

/** Signs `email` up in the demo pool (email is the username there); returns the sub. */
export async function signUp(srv: TestServer, email: string, clientId = srv.demo.clientId): Promise<string> {
  const out = await srv.publicClient.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD }));
  return out.UserSub!;
}

/** A confirmed demo-pool user with a verified email. */
export async function confirmedUser(srv: TestServer, email: string): Promise<string> {
  const sub = await signUp(srv, email);
  const code = await srv.latestCode(email);
  await srv.publicClient.send(new ConfirmSignUpCommand({ ClientId: srv.demo.clientId, Username: email, ConfirmationCode: code }));
  return sub;
}

/** A confirmed user of an email-username pool other than the demo one, confirmed with the mailed code. */
export async function confirmedUserIn(srv: TestServer, clientId: string, email: string): Promise<string> {
  const out = await srv.publicClient.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD }));
  await srv.publicClient.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: await srv.latestCode(email) }));
  return out.UserSub!;
}

/** An email-username pool that keeps the current email until a new one is verified (AttributesRequireVerificationBeforeUpdate). */
export function createKeepOriginalPool(srv: TestServer): Promise<{ poolId: string; clientId: string }> {
  return createPool(srv, { UsernameAttributes: ['email'], UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] } });
}

/** The claims of a JWT, unverified (the tests that check signatures are elsewhere). */
export function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
}

export async function signIn(srv: TestServer, username: string, password = PASSWORD, clientId = srv.demo.clientId): Promise<string> {
  const out = await srv.publicClient.send(
    new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }),
  );
  return out.AuthenticationResult!.AccessToken!;
}

export async function createClient(srv: TestServer, input: Partial<CreateUserPoolClientCommandInput> = {}): Promise<string> {
  const out = await srv.cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: srv.demo.poolId,
      ClientName: 'test-app',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      ...input,
    }),
  );
  return out.UserPoolClient!.ClientId!;
}

/** A new pool with one client; `pool` overrides the defaults (username sign-in, email auto-verified). */
export async function createPool(
  srv: TestServer,
  pool: Partial<CreateUserPoolCommandInput> = {},
  client: Partial<CreateUserPoolClientCommandInput> = {},
): Promise<{ poolId: string; clientId: string }> {
  const created = await srv.cognito.send(new CreateUserPoolCommand({ PoolName: 'test-pool', AutoVerifiedAttributes: ['email'], ...pool }));
  const poolId = created.UserPool!.Id!;
  const out = await srv.cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'test-app',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      ...client,
    }),
  );
  return { poolId, clientId: out.UserPoolClient!.ClientId! };
}

/** Expects `promise` to fail with the Cognito error `name` (and, when given, a message matching `message`). */
export async function expectError(promise: Promise<unknown>, name: string, message?: RegExp | string): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e as { name: string; message: string },
  );
  expect(err, `expected ${name}`).toBeDefined();
  expect(err!.name).toBe(name);
  if (message !== undefined) expect(err!.message).toMatch(message);
}

/** A code that is not `code` (same length, other digits). */
export function wrongCode(code: string): string {
  return code.split('').map((d) => String((Number(d) + 1) % 10)).join('');
}

/** The user as storage keeps it (through the ports), in whichever pool it is, for what the API does not show. */
export async function storedUser(srv: TestServer, sub: string): Promise<User> {
  for (const pool of await srv.store.pools.listPools(1000, undefined)) {
    const user = await srv.store.users.findUserBySub(pool.id, sub);
    if (user) return user;
  }
  throw new Error(`no user ${sub}`);
}

/** Every purpose a code is issued for in these tests. */
const CODE_PURPOSES: CodePurpose[] = ['SIGN_UP', 'FORGOT_PASSWORD', 'VERIFY:email', 'VERIFY:phone_number'];

/** The user's live codes (through the codes port), one per purpose at most. */
export async function liveCodes(srv: TestServer, sub: string): Promise<StoredCode[]> {
  const found = await Promise.all(CODE_PURPOSES.map((purpose) => srv.store.codes.findCode(sub, purpose)));
  return found.filter((c): c is StoredCode => c !== undefined);
}

/** The kinds of mail queued to `recipient`, oldest first (through the outbox port). */
export async function mailKinds(srv: TestServer, recipient: string): Promise<string[]> {
  return (await srv.store.outbox.listMessages(recipient, 1000)).map((m) => m.kind).reverse();
}

export async function attributesOf(srv: TestServer, sub: string): Promise<Record<string, string>> {
  return srv.store.users.getAttributes(sub);
}
