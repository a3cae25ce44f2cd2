// CreateUserPool and DescribeUserPool through the real AWS SDK.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateUserPoolCommand, DescribeUserPoolCommand, SignUpCommand, CreateUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import { randomBytes } from 'node:crypto';
import type { TestServer } from '../../helpers/server.js';
import { DomainService } from '../../../src/domains/service.js';
import { actions } from '../../../src/userpool/actions/registry.js';
import { createUserPool } from '../../../src/userpool/actions/create-user-pool.js';
import { createUserPoolClient } from '../../../src/userpool/actions/create-user-pool-client.js';
import { expectError, startServer } from '../../helpers/pools.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
  // A DEVELOPER pool must send as a todoku sending identity (added as `todoku domain add` does).
  const domains = new DomainService({
    store: srv.store,
    clock: srv.clock,
    random: srv.deps.random,
    keyEncryptionKey: randomBytes(32),
    resolve: async () => [],
    sendingIps: ['127.0.0.1'],
    bounceHost: 'localhost',
  });
  await domains.add({ domain: 'example.jp' });
});
afterAll(async () => {
  await srv?.close();
});

describe('CreateUserPool', () => {
  it("creates a pool with Cognito's defaults and returns it as DescribeUserPool does", async () => {
    const beforeMs = srv.clock.nowMs();
    const out = await srv.cognito.send(new CreateUserPoolCommand({ PoolName: 'defaults' }));
    const afterMs = srv.clock.nowMs();
    const pool = out.UserPool!;
    expect(pool.Id).toMatch(new RegExp(`^${srv.region}_[0-9A-Za-z]{9}$`));
    expect(pool.Arn).toBe(`arn:aws:cognito-idp:${srv.region}:000000000000:userpool/${pool.Id}`);
    expect(pool.Name).toBe('defaults');
    // The SDK turns AWS's epoch seconds into Dates.
    expect(pool.CreationDate).toBeInstanceOf(Date);
    expect(pool.CreationDate!.getTime()).toBeGreaterThanOrEqual(beforeMs);
    expect(pool.CreationDate!.getTime()).toBeLessThanOrEqual(afterMs);
    expect(pool.LastModifiedDate).toEqual(pool.CreationDate);
    expect(pool.EstimatedNumberOfUsers).toBe(0);
    expect(pool.Policies?.PasswordPolicy).toEqual({
      MinimumLength: 8,
      RequireUppercase: true,
      RequireLowercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
      TemporaryPasswordValidityDays: 7,
    });
    expect(pool.DeletionProtection).toBe('INACTIVE');
    expect(pool.MfaConfiguration).toBe('OFF');
    expect(pool.UsernameConfiguration).toEqual({ CaseSensitive: true });
    expect(pool.EmailConfiguration).toEqual({ EmailSendingAccount: 'COGNITO_DEFAULT' });
    expect(pool.AdminCreateUserConfig).toEqual({ AllowAdminCreateUserOnly: false, UnusedAccountValidityDays: 7 });
    expect(pool.SchemaAttributes?.[0]).toMatchObject({ Name: 'sub', Required: true, Mutable: false });
    expect(pool.SchemaAttributes?.map((a) => a.Name)).toContain('email_verified');

    const described = (await srv.cognito.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id }))).UserPool!;
    expect(described).toEqual(pool);
  });

  it('stores what the request sets and DescribeUserPool returns it', async () => {
    const out = await srv.cognito.send(
      new CreateUserPoolCommand({
        PoolName: 'configured',
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
        UsernameConfiguration: { CaseSensitive: true },
        DeletionProtection: 'ACTIVE',
        Policies: { PasswordPolicy: { MinimumLength: 10, RequireNumbers: true, TemporaryPasswordValidityDays: 3 } },
        VerificationMessageTemplate: { EmailMessage: '確認コードは {####} です。', EmailSubject: '確認コード' },
        AdminCreateUserConfig: {
          AllowAdminCreateUserOnly: true,
          InviteMessageTemplate: { EmailMessage: 'ユーザー名 {username} / 仮パスワード {####}', EmailSubject: 'ようこそ' },
        },
        EmailConfiguration: { EmailSendingAccount: 'DEVELOPER', From: '届く <no-reply@example.jp>', ReplyToEmailAddress: 'support@example.jp' },
        Schema: [{ Name: 'plan', AttributeDataType: 'String', Mutable: true }],
        AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
        UserPoolTags: { team: 'auth' },
      }),
    );
    const d = (await srv.cognito.send(new DescribeUserPoolCommand({ UserPoolId: out.UserPool!.Id }))).UserPool!;
    expect(d).toMatchObject({
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: true },
      DeletionProtection: 'ACTIVE',
      Policies: { PasswordPolicy: { MinimumLength: 10, RequireNumbers: true, RequireSymbols: false, TemporaryPasswordValidityDays: 3 } },
      VerificationMessageTemplate: { EmailMessage: '確認コードは {####} です。', EmailSubject: '確認コード', DefaultEmailOption: 'CONFIRM_WITH_CODE' },
      EmailVerificationMessage: '確認コードは {####} です。',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true, UnusedAccountValidityDays: 3 },
      EmailConfiguration: { EmailSendingAccount: 'DEVELOPER', From: '届く <no-reply@example.jp>', ReplyToEmailAddress: 'support@example.jp' },
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
      UserPoolTags: { team: 'auth' },
    });
    expect(d.SchemaAttributes?.at(-1)).toMatchObject({ Name: 'custom:plan', AttributeDataType: 'String', Mutable: true, Required: false });
  });

  it('refuses a DEVELOPER sender that is not a todoku sending identity', async () => {
    const err = await expectError(
      srv.cognito.send(new CreateUserPoolCommand({ PoolName: 'foreign', EmailConfiguration: { EmailSendingAccount: 'DEVELOPER', From: 'no-reply@not-ours.example' } })),
      'InvalidParameterException',
    );
    expect(err.message).toContain('not-ours.example');
    const noFrom = await expectError(
      srv.cognito.send(new CreateUserPoolCommand({ PoolName: 'nofrom', EmailConfiguration: { EmailSendingAccount: 'DEVELOPER' } })),
      'InvalidParameterException',
    );
    expect(noFrom.message).toContain('EmailConfiguration.From');
  });

  it('refuses UsernameAttributes with AliasAttributes and names both', async () => {
    const err = await expectError(
      srv.cognito.send(new CreateUserPoolCommand({ PoolName: 'both', UsernameAttributes: ['email'], AliasAttributes: ['preferred_username'] })),
      'InvalidParameterException',
    );
    expect(err.message).toMatch(/UsernameAttributes.*AliasAttributes/);
  });

  it('names the field that breaks a limit', async () => {
    const long = await expectError(srv.cognito.send(new CreateUserPoolCommand({ PoolName: 'x'.repeat(129) })), 'InvalidParameterException');
    expect(long.message).toContain("'PoolName'");
    const short = await expectError(
      srv.cognito.send(new CreateUserPoolCommand({ PoolName: 'p', Policies: { PasswordPolicy: { MinimumLength: 5 } } })),
      'InvalidParameterException',
    );
    expect(short.message).toContain('Policies.PasswordPolicy.MinimumLength');
    const noCode = await expectError(
      srv.cognito.send(new CreateUserPoolCommand({ PoolName: 'p', VerificationMessageTemplate: { EmailMessage: 'hello there' } })),
      'InvalidParameterException',
    );
    expect(noCode.message).toContain('VerificationMessageTemplate.EmailMessage');
    const invite = await expectError(
      srv.cognito.send(new CreateUserPoolCommand({ PoolName: 'p', AdminCreateUserConfig: { InviteMessageTemplate: { EmailMessage: 'password {####}' } } })),
      'InvalidParameterException',
    );
    expect(invite.message).toContain('{username}');
  });

  it('is reached through the registry the way the bootstrap calls it, with todoku extensions', async () => {
    expect(actions.get('CreateUserPool')).toBe(createUserPool);
    expect(actions.get('CreateUserPoolClient')).toBe(createUserPoolClient);
    const ctx = { sourceIp: '127.0.0.1', signedByAdmin: true };
    const out = await createUserPool.run(srv.deps, { PoolName: 'bootstrap', UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'], DefaultLanguage: 'ja' }, ctx);
    expect(out.UserPool.DefaultLanguage).toBe('ja');
    expect((await srv.store.pools.findPool(out.UserPool.Id))?.settings.DefaultLanguage).toBe('ja');
    const client = await createUserPoolClient.run(srv.deps, { UserPoolId: out.UserPool.Id, ClientName: 'bootstrap-app' }, ctx);
    expect(client.UserPoolClient.ClientId).toMatch(/^[a-z0-9]{26}$/);
  });

  it('makes a pool whose settings sign-up obeys', async () => {
    const { UserPool } = await srv.cognito.send(
      new CreateUserPoolCommand({ PoolName: 'strict', Policies: { PasswordPolicy: { MinimumLength: 12, RequireSymbols: false } }, UsernameAttributes: ['email'] }),
    );
    const { UserPoolClient } = await srv.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: UserPool!.Id, ClientName: 'web' }));
    const tooShort = await expectError(
      srv.publicClient.send(new SignUpCommand({ ClientId: UserPoolClient!.ClientId, Username: 'short@example.jp', Password: 'Abcdefgh123' })),
      'InvalidPasswordException',
    );
    expect(tooShort.message).toContain('long enough');
    const ok = await srv.publicClient.send(new SignUpCommand({ ClientId: UserPoolClient!.ClientId, Username: 'long@example.jp', Password: 'Abcdefgh1234' }));
    expect(ok.UserSub).toBeTruthy();
    const d = await srv.cognito.send(new DescribeUserPoolCommand({ UserPoolId: UserPool!.Id }));
    expect(d.UserPool!.EstimatedNumberOfUsers).toBe(1);
  });
});

describe('DescribeUserPool', () => {
  it('answers ResourceNotFoundException for an unknown pool', async () => {
    const err = await expectError(srv.cognito.send(new DescribeUserPoolCommand({ UserPoolId: `${srv.region}_nothere12` })), 'ResourceNotFoundException');
    expect(err.message).toContain(`${srv.region}_nothere12`);
  });

  it('checks the pool id format', async () => {
    const err = await expectError(srv.cognito.send(new DescribeUserPoolCommand({ UserPoolId: 'no-underscore' })), 'InvalidParameterException');
    expect(err.message).toContain("'UserPoolId'");
  });
});
