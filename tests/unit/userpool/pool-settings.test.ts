// CreateUserPool/UpdateUserPool input rules, checked on the parser alone.
import { describe, expect, it } from 'vitest';
import { describePool, parseNewPool, parsePoolUpdate } from '../../../src/userpool/pool-settings.js';
import type { UserPool } from '../../../src/userpool/model.js';
import { DEFAULT_PASSWORD_POLICY } from '../../../src/userpool/passwords.js';

function refused(input: Record<string, unknown>): string {
  try {
    parseNewPool({ PoolName: 'p', ...input });
  } catch (err) {
    expect((err as Error).name).toBe('InvalidParameterException');
    return (err as Error).message;
  }
  throw new Error('accepted: ' + JSON.stringify(input));
}

function pool(input: Record<string, unknown>): UserPool {
  const { name, settings } = parseNewPool({ PoolName: 'p', ...input });
  return { id: 'ap-northeast-1_abc', name, settings, createdAtMs: 1_700_000_000_123, updatedAtMs: 1_700_000_000_123 };
}

describe('parseNewPool', () => {
  it("fills Cognito's defaults", () => {
    const { name, settings } = parseNewPool({ PoolName: 'my pool' });
    expect(name).toBe('my pool');
    expect(settings.Policies.PasswordPolicy).toEqual(DEFAULT_PASSWORD_POLICY);
    expect(settings).toMatchObject({
      DeletionProtection: 'INACTIVE',
      MfaConfiguration: 'OFF',
      UsernameConfiguration: { CaseSensitive: true },
      EmailConfiguration: { EmailSendingAccount: 'COGNITO_DEFAULT' },
      VerificationMessageTemplate: { DefaultEmailOption: 'CONFIRM_WITH_CODE' },
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: false, UnusedAccountValidityDays: 7 },
    });
    // No default message texts are stored: todoku's bilingual defaults apply.
    expect(settings.VerificationMessageTemplate?.EmailMessage).toBeUndefined();
  });

  it('checks PoolName length and pattern', () => {
    expect(refused({ PoolName: '' })).toContain("'PoolName'");
    expect(refused({ PoolName: 'x'.repeat(129) })).toContain('less than or equal to 128');
    expect(refused({ PoolName: 'bad/name' })).toContain('regular expression');
    expect(parseNewPool({ PoolName: 'x'.repeat(128) }).name).toHaveLength(128);
  });

  it('checks the password policy ranges, naming the member', () => {
    expect(refused({ Policies: { PasswordPolicy: { MinimumLength: 5 } } })).toContain("'Policies.PasswordPolicy.MinimumLength'");
    expect(refused({ Policies: { PasswordPolicy: { MinimumLength: 100 } } })).toContain('less than or equal to 99');
    expect(refused({ Policies: { PasswordPolicy: { TemporaryPasswordValidityDays: 366 } } })).toContain('TemporaryPasswordValidityDays');
    expect(refused({ Policies: { PasswordPolicy: { TemporaryPasswordValidityDays: -1 } } })).toContain('greater than or equal to 0');
    const given = parseNewPool({ PoolName: 'p', Policies: { PasswordPolicy: { MinimumLength: 12, RequireNumbers: true } } }).settings;
    expect(given.Policies.PasswordPolicy).toEqual({
      MinimumLength: 12,
      RequireUppercase: false,
      RequireLowercase: false,
      RequireNumbers: true,
      RequireSymbols: false,
      TemporaryPasswordValidityDays: 7,
    });
  });

  it('keeps UnusedAccountValidityDays and TemporaryPasswordValidityDays one setting', () => {
    expect(pool({ AdminCreateUserConfig: { UnusedAccountValidityDays: 3 } }).settings.Policies.PasswordPolicy.TemporaryPasswordValidityDays).toBe(3);
    expect(pool({ Policies: { PasswordPolicy: { TemporaryPasswordValidityDays: 2 } } }).settings.AdminCreateUserConfig?.UnusedAccountValidityDays).toBe(2);
    expect(refused({ Policies: { PasswordPolicy: { TemporaryPasswordValidityDays: 2 } }, AdminCreateUserConfig: { UnusedAccountValidityDays: 3 } })).toContain(
      'TemporaryPasswordValidityDays',
    );
  });

  it('refuses UsernameAttributes together with AliasAttributes, naming both', () => {
    const message = refused({ UsernameAttributes: ['email'], AliasAttributes: ['preferred_username'] });
    expect(message).toContain('UsernameAttributes');
    expect(message).toContain('AliasAttributes');
  });

  it('checks the attribute lists against their enums', () => {
    expect(refused({ UsernameAttributes: ['preferred_username'] })).toContain('enum value set: [phone_number, email]');
    expect(refused({ AliasAttributes: ['nickname'] })).toContain('[phone_number, email, preferred_username]');
    expect(refused({ AutoVerifiedAttributes: ['email', 'address'] })).toContain("'AutoVerifiedAttributes.2.member'");
    expect(pool({ AliasAttributes: ['email', 'preferred_username'] }).settings.AliasAttributes).toEqual(['email', 'preferred_username']);
  });

  it('requires {####} in verification messages and {username} and {####} in invitations', () => {
    expect(refused({ VerificationMessageTemplate: { EmailMessage: 'no code here' } })).toContain("'VerificationMessageTemplate.EmailMessage'");
    expect(refused({ EmailVerificationMessage: 'no code here' })).toContain("'EmailVerificationMessage'");
    expect(refused({ AdminCreateUserConfig: { InviteMessageTemplate: { EmailMessage: 'Password {####}' } } })).toContain('{username}');
    expect(refused({ AdminCreateUserConfig: { InviteMessageTemplate: { EmailMessage: 'User {username}' } } })).toContain('{####}');
    const ok = pool({
      VerificationMessageTemplate: { EmailMessage: 'コードは {####} です', EmailSubject: '確認コード' },
      AdminCreateUserConfig: { InviteMessageTemplate: { EmailMessage: '{username} / {####}', EmailSubject: 'ようこそ' } },
    });
    expect(ok.settings.VerificationMessageTemplate).toEqual({ EmailMessage: 'コードは {####} です', EmailSubject: '確認コード', DefaultEmailOption: 'CONFIRM_WITH_CODE' });
    expect(ok.settings.AdminCreateUserConfig?.InviteMessageTemplate).toEqual({ EmailMessage: '{username} / {####}', EmailSubject: 'ようこそ' });
  });

  it('takes the legacy EmailVerificationMessage when the template has none, and shows both spellings', () => {
    const p = pool({ EmailVerificationMessage: 'Code: {####}', EmailVerificationSubject: 'Code' });
    expect(p.settings.VerificationMessageTemplate).toMatchObject({ EmailMessage: 'Code: {####}', EmailSubject: 'Code' });
    const wire = describePool(p, 'ap-northeast-1', 0);
    expect(wire).toMatchObject({ EmailVerificationMessage: 'Code: {####}', EmailVerificationSubject: 'Code' });
  });

  it('checks EmailConfiguration', () => {
    expect(refused({ EmailConfiguration: { EmailSendingAccount: 'SES' } })).toContain('[COGNITO_DEFAULT, DEVELOPER]');
    expect(refused({ EmailConfiguration: { EmailSendingAccount: 'DEVELOPER' } })).toContain('EmailConfiguration.From');
    expect(refused({ EmailConfiguration: { EmailSendingAccount: 'DEVELOPER', From: 'Example <not an address>' } })).toContain('EmailConfiguration.From');
    expect(refused({ EmailConfiguration: { ReplyToEmailAddress: 'nobody' } })).toContain("'EmailConfiguration.ReplyToEmailAddress'");
    expect(refused({ EmailConfiguration: { SourceArn: 'not-an-arn-at-all-really' } })).toContain("'EmailConfiguration.SourceArn'");
    const dev = pool({ EmailConfiguration: { EmailSendingAccount: 'DEVELOPER', From: '届く <no-reply@example.jp>' } });
    expect(dev.settings.EmailConfiguration).toEqual({ EmailSendingAccount: 'DEVELOPER', From: '届く <no-reply@example.jp>' });
  });

  it('stores custom attributes and shows them as custom:<name> after the standard ones', () => {
    const p = pool({
      Schema: [
        { Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true },
        { Name: 'plan', AttributeDataType: 'String', Mutable: true, StringAttributeConstraints: { MinLength: '1', MaxLength: '32' } },
        { Name: 'score', AttributeDataType: 'Number' },
      ],
    });
    expect(p.settings.Schema?.map((s) => s.Name)).toEqual(['email', 'plan', 'score']);
    const attrs = describePool(p, 'ap-northeast-1', 0).SchemaAttributes as { Name: string; Required: boolean }[];
    expect(attrs[0]!.Name).toBe('sub');
    expect(attrs.find((a) => a.Name === 'email')!.Required).toBe(true);
    expect(attrs.slice(-2).map((a) => a.Name)).toEqual(['custom:plan', 'custom:score']);
    expect(attrs.find((a) => a.Name === 'custom:plan')).toMatchObject({ StringAttributeConstraints: { MinLength: '1', MaxLength: '32' } });
  });

  it('refuses what Cognito refuses in a schema', () => {
    expect(refused({ Schema: [{ Name: 'plan', AttributeDataType: 'String', Required: true }] })).toBe('Required custom attributes are not supported currently.');
    expect(refused({ Schema: [{ Name: 'plan' }] })).toContain('AttributeDataType');
    expect(refused({ Schema: [{ Name: 'email', AttributeDataType: 'Number' }] })).toContain('standard schema attribute email');
    expect(refused({ Schema: [{ Name: 'plan', AttributeDataType: 'String' }, { Name: 'plan', AttributeDataType: 'String' }] })).toContain('custom:plan');
    expect(refused({ Schema: [{ Name: 'a-name-longer-than-twenty', AttributeDataType: 'String' }] })).toContain('less than or equal to 20');
    expect(refused({ Schema: [{ Name: 'plan', AttributeDataType: 'String', StringAttributeConstraints: { MaxLength: '4096' } }] })).toContain('2048');
  });

  it('refuses MFA and Lambda triggers todoku cannot honour, and keeps DefaultLanguage', () => {
    expect(refused({ MfaConfiguration: 'ON' })).toContain('MfaConfiguration');
    expect(refused({ LambdaConfig: { PreSignUp: 'arn:aws:lambda:ap-northeast-1:123456789012:function:x' } })).toContain('LambdaConfig');
    expect(pool({ LambdaConfig: {} }).settings.MfaConfiguration).toBe('OFF');
    expect(pool({ DefaultLanguage: 'ja' }).settings.DefaultLanguage).toBe('ja');
    expect(refused({ DefaultLanguage: 'fr' })).toContain('[ja, en]');
  });

  it('shows the pool as UserPoolType with epoch-second dates and an ARN', () => {
    const wire = describePool(pool({ UserPoolTags: { team: 'auth' } }), 'ap-northeast-1', 3);
    expect(wire).toMatchObject({
      Id: 'ap-northeast-1_abc',
      Name: 'p',
      Arn: 'arn:aws:cognito-idp:ap-northeast-1:000000000000:userpool/ap-northeast-1_abc',
      CreationDate: 1_700_000_000.123,
      LastModifiedDate: 1_700_000_000.123,
      EstimatedNumberOfUsers: 3,
      UserPoolTags: { team: 'auth' },
    });
    expect(wire).not.toHaveProperty('Schema');
  });
});

describe('parsePoolUpdate', () => {
  it('resets what the request leaves out and keeps what only CreateUserPool sets', () => {
    const current = pool({
      UsernameAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: true },
      Schema: [{ Name: 'plan', AttributeDataType: 'String' }],
      DeletionProtection: 'ACTIVE',
      AutoVerifiedAttributes: ['email'],
      EmailConfiguration: { EmailSendingAccount: 'DEVELOPER', From: 'no-reply@example.jp' },
      Policies: { PasswordPolicy: { MinimumLength: 12 } },
      DefaultLanguage: 'ja',
    });
    const { name, settings } = parsePoolUpdate({ UserPoolId: current.id, MfaConfiguration: 'OFF' }, current);
    expect(name).toBe('p');
    expect(settings.UsernameAttributes).toEqual(['email']);
    expect(settings.UsernameConfiguration).toEqual({ CaseSensitive: true });
    expect(settings.Schema).toEqual(current.settings.Schema);
    expect(settings.DefaultLanguage).toBe('ja');
    expect(settings.DeletionProtection).toBe('INACTIVE');
    expect(settings.AutoVerifiedAttributes).toBeUndefined();
    expect(settings.EmailConfiguration).toEqual({ EmailSendingAccount: 'COGNITO_DEFAULT' });
    expect(settings.Policies.PasswordPolicy).toEqual(DEFAULT_PASSWORD_POLICY);
  });

  it('renames the pool when PoolName is given and ignores attempts to change sign-in attributes', () => {
    const current = pool({ UsernameAttributes: ['email'] });
    const { name, settings } = parsePoolUpdate({ PoolName: 'renamed', UsernameAttributes: ['phone_number'] }, current);
    expect(name).toBe('renamed');
    expect(settings.UsernameAttributes).toEqual(['email']);
  });
});
