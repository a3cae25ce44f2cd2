// The user-pool domain's records, as the ports hand them to actions.

/** Cognito's UserPoolType settings that todoku keeps (the wire shapes, stored as given). */
export interface PoolSettings {
  Policies: {
    PasswordPolicy: PasswordPolicy;
  };
  UsernameAttributes?: string[];
  AliasAttributes?: string[];
  AutoVerifiedAttributes?: string[];
  UsernameConfiguration?: { CaseSensitive: boolean };
  EmailConfiguration?: {
    EmailSendingAccount?: 'COGNITO_DEFAULT' | 'DEVELOPER';
    From?: string;
    ReplyToEmailAddress?: string;
    SourceArn?: string;
    ConfigurationSet?: string;
  };
  VerificationMessageTemplate?: {
    EmailMessage?: string;
    EmailSubject?: string;
    EmailMessageByLink?: string;
    EmailSubjectByLink?: string;
    SmsMessage?: string;
    DefaultEmailOption?: 'CONFIRM_WITH_CODE' | 'CONFIRM_WITH_LINK';
  };
  EmailVerificationMessage?: string;
  EmailVerificationSubject?: string;
  AdminCreateUserConfig?: {
    AllowAdminCreateUserOnly?: boolean;
    UnusedAccountValidityDays?: number;
    InviteMessageTemplate?: { EmailMessage?: string; EmailSubject?: string; SMSMessage?: string };
  };
  AccountRecoverySetting?: { RecoveryMechanisms: { Name: string; Priority: number }[] };
  Schema?: SchemaAttribute[];
  MfaConfiguration?: 'OFF' | 'ON' | 'OPTIONAL';
  DeletionProtection?: 'ACTIVE' | 'INACTIVE';
  UserPoolTags?: Record<string, string>;
  /** Attributes whose new value waits for verification before it replaces the old (userpool/pending-email.ts). */
  UserAttributeUpdateSettings?: { AttributesRequireVerificationBeforeUpdate: string[] };
  /** todoku extension: language of the default message texts ('ja' | 'en'). */
  DefaultLanguage?: 'ja' | 'en';
  [key: string]: unknown;
}

export interface PasswordPolicy {
  MinimumLength: number;
  RequireUppercase: boolean;
  RequireLowercase: boolean;
  RequireNumbers: boolean;
  RequireSymbols: boolean;
  TemporaryPasswordValidityDays: number;
  PasswordHistorySize?: number;
}

export interface SchemaAttribute {
  Name: string;
  AttributeDataType: 'String' | 'Number' | 'DateTime' | 'Boolean';
  DeveloperOnlyAttribute?: boolean;
  Mutable?: boolean;
  Required?: boolean;
  StringAttributeConstraints?: { MinLength?: string; MaxLength?: string };
  NumberAttributeConstraints?: { MinValue?: string; MaxValue?: string };
}

export interface UserPool {
  id: string;
  name: string;
  settings: PoolSettings;
  createdAtMs: number;
  updatedAtMs: number;
}

/** Cognito's UserPoolClientType settings kept for a client. */
export interface ClientSettings {
  ExplicitAuthFlows?: string[];
  RefreshTokenValidity?: number;
  AccessTokenValidity?: number;
  IdTokenValidity?: number;
  TokenValidityUnits?: { AccessToken?: TimeUnit; IdToken?: TimeUnit; RefreshToken?: TimeUnit };
  ReadAttributes?: string[];
  WriteAttributes?: string[];
  PreventUserExistenceErrors?: 'ENABLED' | 'LEGACY';
  EnableTokenRevocation?: boolean;
  AuthSessionValidity?: number;
  CallbackURLs?: string[];
  LogoutURLs?: string[];
  DefaultRedirectURI?: string;
  AllowedOAuthFlows?: string[];
  AllowedOAuthScopes?: string[];
  AllowedOAuthFlowsUserPoolClient?: boolean;
  SupportedIdentityProviders?: string[];
  EnablePropagateAdditionalUserContextData?: boolean;
  [key: string]: unknown;
}

export type TimeUnit = 'seconds' | 'minutes' | 'hours' | 'days';

export interface UserPoolClient {
  id: string;
  poolId: string;
  name: string;
  secret: string | null;
  settings: ClientSettings;
  createdAtMs: number;
  updatedAtMs: number;
}

export type UserStatus =
  | 'UNCONFIRMED'
  | 'CONFIRMED'
  | 'FORCE_CHANGE_PASSWORD'
  | 'RESET_REQUIRED'
  | 'EXTERNAL_PROVIDER'
  | 'ARCHIVED'
  | 'UNKNOWN';

export interface User {
  sub: string;
  poolId: string;
  username: string;
  usernameKey: string;
  emailKey: string | null;
  status: UserStatus;
  enabled: boolean;
  passwordHash: string | null;
  failedSignIns: number;
  lockedUntilMs: number;
  createdAtMs: number;
  updatedAtMs: number;
  /**
   * When the current temporary password was issued (AdminCreateUser, AdminSetUserPassword
   * with Permanent false); null or absent otherwise. See userpool/temporary-password.ts.
   */
  temporaryPasswordIssuedAtMs?: number | null;
  /**
   * The email the user asked to change to, held until it is verified when the pool's
   * UserAttributeUpdateSettings require it (userpool/pending-email.ts); null or absent otherwise.
   * Not an attribute: GetUser, the ID token and sign-in use the current email meanwhile.
   */
  pendingEmail?: string | null;
}

/** Attribute name → value, without `sub`. */
export type Attributes = Record<string, string>;

export type CodePurpose = 'SIGN_UP' | 'FORGOT_PASSWORD' | `VERIFY:${string}`;

export interface StoredCode {
  id: string;
  poolId: string;
  userSub: string;
  purpose: CodePurpose;
  codeHash: string;
  failedAttempts: number;
  expiresAtMs: number;
  createdAtMs: number;
}

export interface Session {
  id: string;
  poolId: string;
  clientId: string;
  userSub: string;
  refreshTokenHash: string;
  authTimeMs: number;
  createdAtMs: number;
  expiresAtMs: number;
  revokedAtMs: number | null;
}
