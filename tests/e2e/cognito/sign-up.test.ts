import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SignUpCommand,
  InvalidParameterException,
  InvalidPasswordException,
  UsernameExistsException,
  ResourceNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { liveCodes } from '../../helpers/self-service.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  await srv?.close();
});

const signUp = (Username: string, Password = 'Passw0rd!', ClientId?: string) =>
  srv.publicClient.send(new SignUpCommand({ ClientId: ClientId ?? srv.demo.clientId, Username, Password }));

describe('SignUp', () => {
  it('signs up a docomo address that breaks dot-atom, stores it as given, and captures a real MIME message', async () => {
    const out = await signUp('taro..yamada@docomo.ne.jp');
    expect(out.UserConfirmed).toBe(false);
    expect(out.UserSub).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(out.CodeDeliveryDetails).toEqual({ Destination: 't***@d***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });

    const attrs = await srv.store.users.getAttributes(out.UserSub!);
    expect(attrs.email).toBe('taro..yamada@docomo.ne.jp');
    expect(attrs.email_verified).toBe('false');

    const [mail] = await srv.mail('taro..yamada@docomo.ne.jp');
    expect(mail).toBeDefined();
    expect(mail!.text).toMatch(/(?<!\d)\d{6}(?!\d)/);
    const raw = await srv.rawMail(mail!.id);
    // nodemailer quotes the local part that is not a dot-atom (RFC 5322 §3.4.1).
    expect(raw).toMatch(/^To: <"taro\.\.yamada"@docomo\.ne\.jp>$/m);
    expect(raw).toMatch(/^Message-ID: <[0-9a-f-]{36}@verificationemail\.com>$/m);
    expect(raw).toMatch(/^Content-Type: multipart\/alternative/m);
    expect(raw).toMatch(/^Date: /m);
    // The code lives in the mail; the database keeps only its HMAC.
    const code = await srv.latestCode('taro..yamada@docomo.ne.jp');
    const stored = await liveCodes(srv, out.UserSub!);
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(code);
  });

  it('accepts au legacy addresses with a dot before @', async () => {
    const out = await signUp('taro.@ezweb.ne.jp');
    expect(out.UserSub).toBeDefined();
    expect((await srv.mail('taro.@ezweb.ne.jp')).length).toBe(1);
  });

  it.each([
    ['no-at.example.jp', 'single @'],
    // Cognito's username pattern refuses whitespace and controls before any email rule.
    ['with space@example.jp', "'Username'"],
    ['ctrl\u0001@example.jp', "'Username'"],
    [`${'a'.repeat(250)}@example.jp`, 'less than or equal to 128'],
    ['user@nodot', 'domain'],
  ])('refuses %j with InvalidParameterException', async (address, why) => {
    const err = await signUp(address).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidParameterException);
    expect((err as Error).message).toContain(why);
  });

  it('refuses a weak password with the policy rule', async () => {
    const err = await signUp('weak@example.jp', 'password').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidPasswordException);
    expect((err as Error).message).toMatch(/uppercase|numeric|symbol/);
    expect(await srv.mail('weak@example.jp')).toEqual([]);
  });

  it('refuses a second account with the same email, case-insensitively, and sends nothing more', async () => {
    await signUp('Hanako@Example.jp');
    const err = await signUp('hanako@example.jp').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsernameExistsException);
    // The captured-mail lookup ignores case (issue 13 #19): both spellings find the one mail,
    // addressed as the first sign-up wrote it.
    expect((await srv.mail('Hanako@Example.jp')).map((m) => m.to)).toEqual(['Hanako@Example.jp']);
    expect((await srv.mail('hanako@example.jp')).map((m) => m.to)).toEqual(['Hanako@Example.jp']);
  });

  it('lets only one of several racing sign-ups with the same email through', async () => {
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => signUp('race@example.jp')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(UsernameExistsException);
    const holders = await srv.store.users.findUsersByEmail(srv.demo.poolId, 'race@example.jp');
    expect(holders).toHaveLength(1);
  });

  it('refuses an unknown client', async () => {
    const err = await signUp('x@example.jp', 'Passw0rd!', 'nosuchclient').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceNotFoundException);
  });
});
