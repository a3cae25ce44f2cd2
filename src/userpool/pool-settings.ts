// A user pool's settings as CreateUserPool/UpdateUserPool take them and DescribeUserPool
// shows them. One code path for the API, the CLI and the demo bootstrap.
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPool.html
import type { UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import type { PasswordPolicy, PoolSettings, UserPool } from './model.js';
import type { Wire } from './wire.js';
import { InvalidParameterException } from './errors.js';
import { DEFAULT_PASSWORD_POLICY } from './passwords.js';
import { emailProblem, describeEmailProblem } from './email.js';
import { parseSchema, schemaAttributes } from './pool-schema.js';
import { Reader } from './settings-input.js';
import type { Input, StringRule, ValuePattern } from './validate.js';

/** The account id todoku puts in ARNs: there is no AWS account behind a pool. */
export const ACCOUNT_ID = '000000000000';

export const POOL_NAME_RULE: StringRule = { min: 1, max: 128, pattern: /^[\w\s+=,.@-]+$/, patternText: '[\\w\\s+=,.@-]+' };

const MESSAGE_CHARS = '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*';
const ONLY_MESSAGE_CHARS = new RegExp(`^${MESSAGE_CHARS}$`, 'u');

// AWS's message patterns put a literal between two runs of a class that contains the literal's
// own characters ('{', '#', '}' are \p{P}): run as a backtracking RegExp, `C*\{####\}C*` is
// quadratic and `C*\{##C*##\}C*` cubic — "{####}"×3333 + U+0001 held the server for 35 s.
// The same languages, checked in one pass each: every character in C, and the literal(s) in order.
const EMAIL_MESSAGE_PATTERN: ValuePattern = {
  source: `${MESSAGE_CHARS}\\{####\\}${MESSAGE_CHARS}`,
  test: (value) => value.includes('{####}') && ONLY_MESSAGE_CHARS.test(value),
};
const EMAIL_LINK_MESSAGE_PATTERN: ValuePattern = {
  source: `${MESSAGE_CHARS}\\{##${MESSAGE_CHARS}##\\}${MESSAGE_CHARS}`,
  test: (value) => {
    // The first "{##" and the last "##}" leave the most room between them; they must not overlap.
    const open = value.indexOf('{##');
    return open !== -1 && value.lastIndexOf('##}') >= open + 3 && ONLY_MESSAGE_CHARS.test(value);
  },
};
const EMAIL_MESSAGE_RULE: StringRule = { min: 6, max: 20000, pattern: EMAIL_MESSAGE_PATTERN };
const EMAIL_LINK_MESSAGE_RULE: StringRule = { min: 6, max: 20000, pattern: EMAIL_LINK_MESSAGE_PATTERN };
const INVITE_MESSAGE_RULE: StringRule = { min: 6, max: 20000, pattern: ONLY_MESSAGE_CHARS, patternText: MESSAGE_CHARS };
// `.*\{####\}.*` with the s flag: any text containing the placeholder.
const SMS_MESSAGE_RULE: StringRule = { min: 6, max: 140, pattern: { source: '.*\\{####\\}.*', test: (value) => value.includes('{####}') } };
const SUBJECT_RULE: StringRule = { min: 1, max: 140, pattern: /^[\p{L}\p{M}\p{S}\p{N}\p{P}\s]+$/u, patternText: '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s]+' };
const ARN_RULE: StringRule = {
  min: 20,
  max: 2048,
  pattern: /^arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?$/,
  patternText: 'arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:([\\w+=/,.@-]*)?:[0-9]+:[\\w+=/,.@-]+(:[\\w+=/,.@-]+)?(:[\\w+=/,.@-]+)?',
};
const ADDRESS_CHARS = '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+';
const ONLY_ADDRESS_CHARS = new RegExp(`^${ADDRESS_CHARS}$`, 'u');
// `C+@C+` where '@' is itself in C (\p{P}): quadratic as a RegExp on "@"×n + U+0001, and the
// field has no length limit. Same language: only C, and an '@' neither first nor last.
const EMAIL_ADDRESS_RULE: StringRule = {
  pattern: {
    source: `${ADDRESS_CHARS}@${ADDRESS_CHARS}`,
    test: (value) => {
      const at = value.indexOf('@', 1);
      return at !== -1 && at < value.length - 1 && ONLY_ADDRESS_CHARS.test(value);
    },
  },
};

const VERIFIED_ATTRIBUTES = ['phone_number', 'email'] as const;
const ALIAS_ATTRIBUTES = ['phone_number', 'email', 'preferred_username'] as const;
const AUTH_FACTORS = ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN', 'SOFTWARE_TOKEN'] as const;

function parsePasswordPolicy(policies: Reader | undefined): PasswordPolicy {
  const p = policies?.object('PasswordPolicy');
  if (!p) return { ...DEFAULT_PASSWORD_POLICY };
  // A policy given in part: missing requirements are off (the booleans' default), missing
  // lengths take Cognito's defaults.
  const policy: PasswordPolicy = {
    MinimumLength: p.integer('MinimumLength', 6, 99) ?? DEFAULT_PASSWORD_POLICY.MinimumLength,
    RequireUppercase: p.boolean('RequireUppercase') ?? false,
    RequireLowercase: p.boolean('RequireLowercase') ?? false,
    RequireNumbers: p.boolean('RequireNumbers') ?? false,
    RequireSymbols: p.boolean('RequireSymbols') ?? false,
    TemporaryPasswordValidityDays: p.integer('TemporaryPasswordValidityDays', 0, 365) ?? DEFAULT_PASSWORD_POLICY.TemporaryPasswordValidityDays,
  };
  const history = p.integer('PasswordHistorySize', 0, 24);
  if (history !== undefined) policy.PasswordHistorySize = history;
  return policy;
}

function parseEmailConfiguration(r: Reader): NonNullable<PoolSettings['EmailConfiguration']> {
  const ec = r.object('EmailConfiguration');
  if (!ec) return { EmailSendingAccount: 'COGNITO_DEFAULT' };
  const account = ec.enumOf('EmailSendingAccount', ['COGNITO_DEFAULT', 'DEVELOPER'] as const) ?? 'COGNITO_DEFAULT';
  const from = ec.string('From', { max: 131072 });
  const replyTo = ec.string('ReplyToEmailAddress', EMAIL_ADDRESS_RULE);
  const sourceArn = ec.string('SourceArn', ARN_RULE);
  const configurationSet = ec.string('ConfigurationSet', { min: 1, max: 64, pattern: /^[a-zA-Z0-9_-]+$/, patternText: '^[a-zA-Z0-9_-]+$' });
  if (from !== undefined) {
    // RFC 5322 §3.2.3/§3.4: a display name is a phrase of (quoted) words; anything printable can
    // be quoted or RFC 2047-encoded, so ':' ',' '"' and Japanese are sent quoted/encoded
    // (mail/compose/mime.ts), but no encoding makes a control character part of a name: CR/LF
    // would end the header and start another (a Bcc:), so they are refused, never escaped.
    if (/[\u0000-\u001f\u007f]/.test(from)) {
      throw new InvalidParameterException('EmailConfiguration.From must not contain control characters (CR, LF, TAB, …): write it on one line as "Name <address>".');
    }
    // `Name <address>` or a bare address, as SES takes it.
    const m = /<([^<>]+)>\s*$/.exec(from);
    const problem = emailProblem((m ? m[1]! : from).trim());
    if (problem) throw new InvalidParameterException(`EmailConfiguration.From: the address ${describeEmailProblem(problem)}.`);
  }
  // AWS requires SourceArn (an SES identity) for DEVELOPER; todoku sends the mail itself, so
  // the From address is what it needs, and SourceArn is kept only for compatibility.
  if (account === 'DEVELOPER' && from === undefined && sourceArn === undefined) {
    throw new InvalidParameterException('EmailConfiguration.From is required when EmailSendingAccount is DEVELOPER.');
  }
  return {
    EmailSendingAccount: account,
    ...(from !== undefined ? { From: from } : {}),
    ...(replyTo !== undefined ? { ReplyToEmailAddress: replyTo } : {}),
    ...(sourceArn !== undefined ? { SourceArn: sourceArn } : {}),
    ...(configurationSet !== undefined ? { ConfigurationSet: configurationSet } : {}),
  };
}

function parseVerificationTemplate(r: Reader): NonNullable<PoolSettings['VerificationMessageTemplate']> {
  const t = r.object('VerificationMessageTemplate');
  // The top-level EmailVerificationMessage/Subject are the legacy spelling of the template's
  // EmailMessage/EmailSubject; the template wins when both are given.
  const legacyMessage = r.string('EmailVerificationMessage', EMAIL_MESSAGE_RULE);
  const legacySubject = r.string('EmailVerificationSubject', SUBJECT_RULE);
  const legacySms = r.string('SmsVerificationMessage', SMS_MESSAGE_RULE);
  const message = t?.string('EmailMessage', EMAIL_MESSAGE_RULE) ?? legacyMessage;
  const subject = t?.string('EmailSubject', SUBJECT_RULE) ?? legacySubject;
  const sms = t?.string('SmsMessage', SMS_MESSAGE_RULE) ?? legacySms;
  const byLink = t?.string('EmailMessageByLink', EMAIL_LINK_MESSAGE_RULE);
  const subjectByLink = t?.string('EmailSubjectByLink', SUBJECT_RULE);
  const option = t?.enumOf('DefaultEmailOption', ['CONFIRM_WITH_LINK', 'CONFIRM_WITH_CODE'] as const) ?? 'CONFIRM_WITH_CODE';
  return {
    ...(sms !== undefined ? { SmsMessage: sms } : {}),
    ...(message !== undefined ? { EmailMessage: message } : {}),
    ...(subject !== undefined ? { EmailSubject: subject } : {}),
    ...(byLink !== undefined ? { EmailMessageByLink: byLink } : {}),
    ...(subjectByLink !== undefined ? { EmailSubjectByLink: subjectByLink } : {}),
    DefaultEmailOption: option,
  };
}

function parseAdminCreateUserConfig(r: Reader, policy: PasswordPolicy): NonNullable<PoolSettings['AdminCreateUserConfig']> {
  const c = r.object('AdminCreateUserConfig');
  const unused = c?.integer('UnusedAccountValidityDays', 0, 365);
  if (unused !== undefined && r.object('Policies')?.object('PasswordPolicy')?.has('TemporaryPasswordValidityDays')) {
    throw new InvalidParameterException('Please use TemporaryPasswordValidityDays in PasswordPolicy instead of UnusedAccountValidityDays');
  }
  // The two settings are one: UnusedAccountValidityDays is its legacy name.
  if (unused !== undefined) policy.TemporaryPasswordValidityDays = unused;
  const invite = c?.object('InviteMessageTemplate');
  const inviteEmail = invite?.string('EmailMessage', INVITE_MESSAGE_RULE);
  const inviteSubject = invite?.string('EmailSubject', SUBJECT_RULE);
  const inviteSms = invite?.string('SMSMessage', { min: 6, max: 140 });
  for (const [field, text] of [['EmailMessage', inviteEmail], ['SMSMessage', inviteSms]] as const) {
    if (text !== undefined && !(text.includes('{username}') && text.includes('{####}'))) {
      throw new InvalidParameterException(
        `AdminCreateUserConfig.InviteMessageTemplate.${field} must contain the {username} and {####} placeholders (the user name and the temporary password).`,
      );
    }
  }
  const template = {
    ...(inviteSms !== undefined ? { SMSMessage: inviteSms } : {}),
    ...(inviteEmail !== undefined ? { EmailMessage: inviteEmail } : {}),
    ...(inviteSubject !== undefined ? { EmailSubject: inviteSubject } : {}),
  };
  return {
    AllowAdminCreateUserOnly: c?.boolean('AllowAdminCreateUserOnly') ?? false,
    UnusedAccountValidityDays: policy.TemporaryPasswordValidityDays,
    ...(invite ? { InviteMessageTemplate: template } : {}),
  };
}

function parseRecovery(r: Reader): PoolSettings['AccountRecoverySetting'] {
  const s = r.object('AccountRecoverySetting');
  if (!s) return undefined;
  const mechanisms = (s.list('RecoveryMechanisms', 1, 2) ?? []).map((m) => ({
    Priority: m.integer('Priority', 1, 2) ?? m.requiredString('Priority'),
    Name: m.enumOf('Name', ['verified_email', 'verified_phone_number', 'admin_only'] as const) ?? m.requiredString('Name'),
  })) as { Name: string; Priority: number }[];
  if (new Set(mechanisms.map((m) => m.Priority)).size !== mechanisms.length) {
    throw new InvalidParameterException('AccountRecoverySetting.RecoveryMechanisms: each mechanism needs its own Priority.');
  }
  if (mechanisms.length > 1 && mechanisms.some((m) => m.Name === 'admin_only')) {
    throw new InvalidParameterException('AccountRecoverySetting.RecoveryMechanisms: admin_only cannot be combined with another recovery mechanism.');
  }
  return { RecoveryMechanisms: mechanisms };
}

/**
 * The settings UpdateUserPool may change, read the way Cognito reads them: a setting the
 * request leaves out takes its default value (API_UpdateUserPool: "If you don't provide a
 * value for an attribute, Amazon Cognito sets it to its default value").
 */
function parseChangeableSettings(r: Reader): PoolSettings {
  const policies = r.object('Policies');
  const passwordPolicy = parsePasswordPolicy(policies);
  const signIn = policies?.object('SignInPolicy');
  const factors = signIn?.enumList('AllowedFirstAuthFactors', AUTH_FACTORS, 5, 1) ?? ['PASSWORD'];
  if (!factors.includes('PASSWORD')) {
    throw new InvalidParameterException('Policies.SignInPolicy.AllowedFirstAuthFactors must include PASSWORD.');
  }
  const adminCreateUserConfig = parseAdminCreateUserConfig(r, passwordPolicy);

  const mfa = r.enumOf('MfaConfiguration', ['OFF', 'ON', 'OPTIONAL'] as const) ?? 'OFF';
  if (mfa !== 'OFF') {
    // Cognito refuses MFA without SMS or TOTP set up; todoku sends no SMS and has no TOTP
    // configuration yet, so a pool that claimed to require MFA would silently not.
    throw new InvalidParameterException(`MfaConfiguration ${mfa} is not supported: SMS configuration and Auto verification for phone_number are required when MFA is required/optional.`);
  }
  const lambda = r.object('LambdaConfig');
  if (lambda && Object.values(lambda.input).some((v) => v !== undefined && v !== null)) {
    throw new InvalidParameterException('LambdaConfig: todoku does not run Lambda triggers; leave LambdaConfig empty.');
  }
  const addOns = r.object('UserPoolAddOns');
  const securityMode = addOns?.enumOf('AdvancedSecurityMode', ['OFF', 'AUDIT', 'ENFORCED'] as const);
  if (addOns && securityMode === undefined) addOns.requiredString('AdvancedSecurityMode');
  const device = r.object('DeviceConfiguration');
  const updateSettings = r.object('UserAttributeUpdateSettings');
  const requireVerification = updateSettings?.enumList('AttributesRequireVerificationBeforeUpdate', VERIFIED_ATTRIBUTES);
  const recovery = parseRecovery(r);
  const smsAuthentication = r.string('SmsAuthenticationMessage', SMS_MESSAGE_RULE);

  const settings: PoolSettings = {
    Policies: { PasswordPolicy: passwordPolicy, SignInPolicy: { AllowedFirstAuthFactors: factors } } as PoolSettings['Policies'],
    DeletionProtection: r.enumOf('DeletionProtection', ['ACTIVE', 'INACTIVE'] as const) ?? 'INACTIVE',
    MfaConfiguration: mfa,
    EmailConfiguration: parseEmailConfiguration(r),
    VerificationMessageTemplate: parseVerificationTemplate(r),
    AdminCreateUserConfig: adminCreateUserConfig,
    UserPoolTags: r.stringMap('UserPoolTags', { max: 128 }, { max: 256 }, 50) ?? {},
    UserPoolTier: r.enumOf('UserPoolTier', ['LITE', 'ESSENTIALS', 'PLUS'] as const) ?? 'ESSENTIALS',
  };
  const auto = r.enumList('AutoVerifiedAttributes', VERIFIED_ATTRIBUTES);
  if (auto) settings.AutoVerifiedAttributes = auto;
  if (recovery) settings.AccountRecoverySetting = recovery;
  if (securityMode) settings.UserPoolAddOns = { AdvancedSecurityMode: securityMode };
  if (device) {
    settings.DeviceConfiguration = {
      ChallengeRequiredOnNewDevice: device.boolean('ChallengeRequiredOnNewDevice') ?? false,
      DeviceOnlyRememberedOnUserPrompt: device.boolean('DeviceOnlyRememberedOnUserPrompt') ?? false,
    };
  }
  if (requireVerification) settings.UserAttributeUpdateSettings = { AttributesRequireVerificationBeforeUpdate: requireVerification };
  if (smsAuthentication !== undefined) settings.SmsAuthenticationMessage = smsAuthentication;
  const language = r.enumOf('DefaultLanguage', ['ja', 'en'] as const);
  if (language) settings.DefaultLanguage = language;
  return settings;
}

/** CreateUserPool's input → the pool's name and settings. */
export function parseNewPool(input: Input): { name: string; settings: PoolSettings } {
  const r = new Reader(input);
  const name = r.requiredString('PoolName', POOL_NAME_RULE);
  const usernameAttributes = r.enumList('UsernameAttributes', VERIFIED_ATTRIBUTES);
  const aliasAttributes = r.enumList('AliasAttributes', ALIAS_ATTRIBUTES);
  if (usernameAttributes?.length && aliasAttributes?.length) {
    throw new InvalidParameterException('UsernameAttributes and AliasAttributes cannot both be set: a pool signs in either with email/phone as the username or with aliases.');
  }
  const caseSensitive = r.object('UsernameConfiguration');
  const schema = parseSchema(r);
  const settings = parseChangeableSettings(r);
  if (usernameAttributes) settings.UsernameAttributes = usernameAttributes;
  if (aliasAttributes) settings.AliasAttributes = aliasAttributes;
  // Case-sensitive unless asked otherwise: the API's default (UsernameConfigurationType,
  // "CaseSensitive … defaults to true"; only the console picks insensitive). Always written out:
  // pools stored without the field were created when the default was insensitive, and
  // user-keys.ts reads an absent field that way, so existing pools keep what they had.
  if (caseSensitive && !caseSensitive.has('CaseSensitive')) caseSensitive.requiredString('CaseSensitive');
  settings.UsernameConfiguration = { CaseSensitive: caseSensitive?.boolean('CaseSensitive') ?? true };
  if (schema) settings.Schema = schema;
  return { name, settings };
}

/**
 * UpdateUserPool's input → the pool's new name and settings. What CreateUserPool alone
 * sets (sign-in attributes, case sensitivity, schema) is kept; so is the name when none is
 * given, and todoku's DefaultLanguage, which the AWS SDKs cannot send.
 */
export function parsePoolUpdate(input: Input, current: UserPool): { name: string; settings: PoolSettings } {
  const r = new Reader(input);
  const name = r.string('PoolName', POOL_NAME_RULE) ?? current.name;
  const settings = parseChangeableSettings(r);
  const kept = current.settings;
  if (kept.UsernameAttributes) settings.UsernameAttributes = kept.UsernameAttributes;
  if (kept.AliasAttributes) settings.AliasAttributes = kept.AliasAttributes;
  if (kept.UsernameConfiguration) settings.UsernameConfiguration = kept.UsernameConfiguration;
  if (kept.Schema) settings.Schema = kept.Schema;
  if (settings.DefaultLanguage === undefined && kept.DefaultLanguage !== undefined) settings.DefaultLanguage = kept.DefaultLanguage;
  return { name, settings };
}

export function poolArn(region: string, poolId: string): string {
  return `arn:aws:cognito-idp:${region}:${ACCOUNT_ID}:userpool/${poolId}`;
}

/** AWS's JSON protocol sends timestamps as epoch seconds (with milliseconds as a fraction). */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}

/** The pool as DescribeUserPool and CreateUserPool return it (UserPoolType). */
/**
 * UserPoolType as todoku answers it: the SDK's shape on the wire, plus the pool's settings
 * as stored (todoku extensions such as DefaultLanguage among them).
 */
export type PoolDescription = Wire<UserPoolType> & Record<string, unknown> & { Id: string; DefaultLanguage?: 'ja' | 'en' };

export function describePool(pool: UserPool, region: string, estimatedNumberOfUsers: number): PoolDescription {
  const { Schema, ...settings } = pool.settings;
  const template = settings.VerificationMessageTemplate;
  return {
    Id: pool.id,
    Name: pool.name,
    Arn: poolArn(region, pool.id),
    Status: 'Enabled',
    CreationDate: epochSeconds(pool.createdAtMs),
    LastModifiedDate: epochSeconds(pool.updatedAtMs),
    EstimatedNumberOfUsers: estimatedNumberOfUsers,
    LambdaConfig: {},
    SchemaAttributes: schemaAttributes(Schema),
    ...settings,
    // The legacy top-level spellings mirror the template, as Cognito shows them.
    ...(template?.EmailMessage !== undefined ? { EmailVerificationMessage: template.EmailMessage } : {}),
    ...(template?.EmailSubject !== undefined ? { EmailVerificationSubject: template.EmailSubject } : {}),
    ...(template?.SmsMessage !== undefined ? { SmsVerificationMessage: template.SmsMessage } : {}),
  };
}
