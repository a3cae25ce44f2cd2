import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AdminCreateUserCommand, AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../helpers/server.js';
import { adminCreate, attr, createPool, expectError, startServer, storedUser } from '../../helpers/admin.js';
import { checkPasswordPolicy, DEFAULT_PASSWORD_POLICY } from '../../../src/userpool/passwords.js';
import { isTemporaryPasswordExpired } from '../../../src/userpool/temporary-password.js';

const DAY_MS = 24 * 3600_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});
// These tests compare stored times with the clock exactly: time stands still in each.
beforeEach(() => srv.clock.freeze());
afterEach(() => srv.clock.unfreeze());

const create = (input: Partial<ConstructorParameters<typeof AdminCreateUserCommand>[0]> & { Username: string }) =>
  srv.cognito.send(new AdminCreateUserCommand({ UserPoolId: srv.demo.poolId, ...input }));

function temporaryPasswordIn(text: string): string {
  // Both default texts end the password with the sentence: "… 仮パスワードは X です。" / "… is X."
  const m = /temporary password is (\S+)\.$/m.exec(text) ?? /仮パスワードは (\S+) です。/.exec(text);
  if (!m) throw new Error(`no temporary password in: ${text}`);
  return m[1]!;
}

describe('AdminCreateUser in an email-username pool', () => {
  it('creates taro.@ezweb.ne.jp in FORCE_CHANGE_PASSWORD and mails the invitation with a policy-conforming temporary password', async () => {
    const out = await create({ Username: 'taro.@ezweb.ne.jp', DesiredDeliveryMediums: ['EMAIL'] });
    const user = out.User!;
    // The stored username of an email-username pool is the sub, as in Cognito.
    expect(user.Username).toMatch(UUID);
    expect(user.Attributes![0]).toEqual({ Name: 'sub', Value: user.Username });
    expect(attr(user, 'email')).toBe('taro.@ezweb.ne.jp');
    expect(attr(user, 'email_verified')).toBeUndefined();
    expect(user.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
    expect(user.Enabled).toBe(true);
    expect(user.UserCreateDate).toBeInstanceOf(Date);
    expect(user.UserCreateDate!.getTime()).toBe(srv.clock.nowMs());
    expect(user.UserLastModifiedDate!.getTime()).toBe(srv.clock.nowMs());

    const mails = await srv.mail('taro.@ezweb.ne.jp');
    expect(mails).toHaveLength(1);
    const temp = temporaryPasswordIn(mails[0]!.text);
    expect(mails[0]!.text).toContain('taro.@ezweb.ne.jp');
    expect(() => checkPasswordPolicy(temp, DEFAULT_PASSWORD_POLICY)).not.toThrow();

    const row = await storedUser(srv, user.Username!);
    expect(await srv.deps.passwords.verify(row.passwordHash!, temp)).toBe(true);
    // Only the hash is stored.
    expect(JSON.stringify(row)).not.toContain(temp);
  });

  it('uses the TemporaryPassword given and checks it against the policy', async () => {
    await create({ Username: 'hanako@docomo.ne.jp', TemporaryPassword: 'Temp-Pass1' });
    expect(temporaryPasswordIn((await srv.mail('hanako@docomo.ne.jp'))[0]!.text)).toBe('Temp-Pass1');
    await expectError(create({ Username: 'weak@docomo.ne.jp', TemporaryPassword: 'short' }), 'InvalidPasswordException', /not long enough/);
    await expectError(srv.cognito.send(new AdminGetUserCommand({ UserPoolId: srv.demo.poolId, Username: 'weak@docomo.ne.jp' })), 'UserNotFoundException');
  });

  it('sends nothing with SUPPRESS', async () => {
    await create({ Username: 'quiet@softbank.ne.jp', MessageAction: 'SUPPRESS' });
    expect(await srv.mail('quiet@softbank.ne.jp')).toHaveLength(0);
  });

  it('refuses SMS delivery and unknown MessageAction values', async () => {
    await expectError(create({ Username: 'sms@example.jp', DesiredDeliveryMediums: ['SMS'] }), 'InvalidParameterException', /DesiredDeliveryMediums.*SMS/);
    await expectError(create({ Username: 'bad@example.jp', MessageAction: 'SHOUT' as 'RESEND' }), 'InvalidParameterException', /messageAction|MessageAction/);
  });

  it('requires an email as the username and refuses a different email attribute', async () => {
    await expectError(create({ Username: 'taro' }), 'InvalidParameterException', /Username should be an email/);
    await expectError(
      create({ Username: 'a@example.jp', UserAttributes: [{ Name: 'email', Value: 'b@example.jp' }] }),
      'InvalidParameterException',
      /email must equal Username/,
    );
  });

  it('refuses an existing user with UsernameExistsException', async () => {
    await create({ Username: 'twice@example.jp', MessageAction: 'SUPPRESS' });
    await expectError(create({ Username: 'TWICE@example.jp', MessageAction: 'SUPPRESS' }), 'UsernameExistsException');
  });

  it('lets the administrator set email_verified', async () => {
    const user = await adminCreate(srv, { Username: 'verified@example.jp', UserAttributes: [{ Name: 'email_verified', Value: 'true' }] });
    expect(attr(user, 'email_verified')).toBe('true');
  });

  it('RESEND mails a new temporary password and restarts its validity', async () => {
    await create({ Username: 'again@ezweb.ne.jp' });
    const first = temporaryPasswordIn((await srv.mail('again@ezweb.ne.jp'))[0]!.text);
    // Six days old (the server clock cannot move: SigV4 allows 5 minutes of skew).
    const [invited] = (await srv.store.users.listUsers({ poolId: srv.demo.poolId, filter: { name: 'email', op: '=', value: 'again@ezweb.ne.jp' }, limit: 1 }));
    await srv.store.users.updateUser(invited!.sub, { temporaryPasswordIssuedAtMs: srv.clock.nowMs() - 6 * DAY_MS });
    const out = await create({ Username: 'again@ezweb.ne.jp', MessageAction: 'RESEND' });
    expect(out.User!.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
    const mails = await srv.mail('again@ezweb.ne.jp');
    expect(mails).toHaveLength(2);
    // Both mails carry the same timestamp (the clock stands still): pick the new one by content.
    const temps = mails.map((m) => temporaryPasswordIn(m.text));
    expect(new Set(temps).size).toBe(2);
    const second = temps.find((t) => t !== first)!;

    const row = await storedUser(srv, out.User!.Username!);
    expect(await srv.deps.passwords.verify(row.passwordHash!, second)).toBe(true);
    expect(await srv.deps.passwords.verify(row.passwordHash!, first)).toBe(false);
    const pool = (await srv.store.pools.findPool(srv.demo.poolId))!;
    const user = (await srv.store.users.findUserBySub(pool.id, out.User!.Username!))!;
    expect(user.temporaryPasswordIssuedAtMs).toBe(srv.clock.nowMs());
    expect(isTemporaryPasswordExpired(user, pool, srv.clock.nowMs() + 7 * DAY_MS - 1)).toBe(false);
    expect(isTemporaryPasswordExpired(user, pool, srv.clock.nowMs() + 7 * DAY_MS)).toBe(true);
  });

  it('RESEND needs an existing FORCE_CHANGE_PASSWORD user', async () => {
    await expectError(create({ Username: 'nobody@example.jp', MessageAction: 'RESEND' }), 'UserNotFoundException');
    const user = await adminCreate(srv, { Username: 'confirmed@example.jp' });
    await srv.store.users.updateUser(user.Username!, { status: 'CONFIRMED' });
    await expectError(create({ Username: 'confirmed@example.jp', MessageAction: 'RESEND' }), 'UnsupportedUserStateException');
  });

  it('answers ResourceNotFoundException for an unknown pool', async () => {
    await expectError(
      srv.cognito.send(new AdminCreateUserCommand({ UserPoolId: `${srv.region}_NoSuchPool`, Username: 'x@example.jp' })),
      'ResourceNotFoundException',
    );
  });

  it('is an operator operation: unsigned callers are refused', async () => {
    const err = await srv.publicClient
      .send(new AdminCreateUserCommand({ UserPoolId: srv.demo.poolId, Username: 'intruder@example.jp' }))
      .catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).not.toBe('UsernameExistsException');
    await expectError(srv.cognito.send(new AdminGetUserCommand({ UserPoolId: srv.demo.poolId, Username: 'intruder@example.jp' })), 'UserNotFoundException');
  });
});

describe('AdminCreateUser in other pools', () => {
  it('keeps the username in a username pool, honours the pool minimum length', async () => {
    const { poolId } = await createPool(srv, { Policies: { PasswordPolicy: { MinimumLength: 20, RequireNumbers: true } } });
    const out = await srv.cognito.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'Taro', UserAttributes: [{ Name: 'email', Value: 'taro..yamada@docomo.ne.jp' }] }),
    );
    expect(out.User!.Username).toBe('Taro');
    const temp = temporaryPasswordIn((await srv.mail('taro..yamada@docomo.ne.jp'))[0]!.text);
    expect(temp.length).toBeGreaterThanOrEqual(20);
    expect((await srv.mail('taro..yamada@docomo.ne.jp'))[0]!.text).toContain('Taro');
  });

  it('in an email-alias pool refuses email-shaped usernames and guards verified aliases', async () => {
    const { poolId } = await createPool(srv, { AliasAttributes: ['email'] });
    const make = (Username: string, force?: boolean) =>
      srv.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username,
          MessageAction: 'SUPPRESS',
          ForceAliasCreation: force,
          UserAttributes: [
            { Name: 'email', Value: 'shared@au.com' },
            { Name: 'email_verified', Value: 'true' },
          ],
        }),
      );
    await expectError(make('shared@au.com'), 'InvalidParameterException', /email format/);
    const first = (await make('first')).User!;
    await expectError(make('second'), 'AliasExistsException');
    await make('second', true);
    // The alias moved: the first user's address is no longer verified.
    const got = await srv.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: first.Username! }));
    expect(got.UserAttributes!.find((a) => a.Name === 'email_verified')?.Value).toBe('false');
    const byAlias = await srv.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'shared@au.com' }));
    expect(byAlias.Username).toBe('second');
  });
});
