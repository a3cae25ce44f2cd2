// Row types of the one schema, shared by SQLite and PostgreSQL. Times are epoch
// milliseconds (UTC) in bigint columns; JSON documents are text.
import type { Generated } from 'kysely';

export interface UserPoolTable {
  id: string;
  name: string;
  /** The pool's Cognito settings as DescribeUserPool shows them (without ids, dates, counts). */
  settings_json: string;
  created_at: number;
  updated_at: number;
}

export interface UserPoolClientTable {
  id: string;
  pool_id: string;
  name: string;
  /** Kept as given: SECRET_HASH is an HMAC keyed with it, and DescribeUserPoolClient returns it. */
  secret: string | null;
  settings_json: string;
  created_at: number;
  updated_at: number;
}

export interface UserTable {
  sub: string;
  pool_id: string;
  /** As the user gave it. */
  username: string;
  /** Lower-cased username for case-insensitive pools, else the username; unique per pool. */
  username_key: string;
  /** Lower-cased email when the pool signs in with it (username attribute or alias), else null. */
  email_key: string | null;
  status: string;
  enabled: number;
  password_hash: string | null;
  failed_sign_ins: number;
  locked_until: number;
  created_at: number;
  updated_at: number;
  /** When the current temporary password was issued (FORCE_CHANGE_PASSWORD users), else null. */
  temp_password_issued_at: number | null;
  /** An email waiting for verification before it replaces the email attribute, else null. */
  pending_email: string | null;
}

/** The user's attributes other than `sub` (which is users.sub): the only copy of them. */
export interface UserAttributeTable {
  pool_id: string;
  user_sub: string;
  name: string;
  value: string;
}

export interface CodeTable {
  id: string;
  pool_id: string;
  user_sub: string;
  /** SIGN_UP, FORGOT_PASSWORD, VERIFY:<attribute>. One live code per user and purpose. */
  purpose: string;
  code_hash: string;
  failed_attempts: number;
  expires_at: number;
  created_at: number;
}

export interface SessionTable {
  /** origin_jti of every token of this session. */
  id: string;
  pool_id: string;
  client_id: string;
  user_sub: string;
  refresh_token_hash: string;
  auth_time: number;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

export interface SigningKeyTable {
  kid: string;
  alg: string;
  public_jwk: string;
  /** PKCS#8 PEM, encrypted with the data-dir secret (see tokens/keyring). */
  private_key: string;
  created_at: number;
  /** When it began signing; null while it is only published (pre-rotation). */
  activated_at: number | null;
  /** When it stopped signing; it stays in the JWKS until tokens it signed have expired. */
  retired_at: number | null;
}

export interface OutboxTable {
  id: string;
  pool_id: string | null;
  /** The user it is for (migration outbox-at-rest); null on older rows. */
  user_sub: string | null;
  /** Why it was sent: SIGN_UP, RESEND, FORGOT_PASSWORD, VERIFY_ATTRIBUTE, INVITATION. */
  kind: string;
  envelope_from: string;
  recipient: string;
  from_header: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  /** The complete RFC 5322 message as it will be sent. */
  raw: string;
  /** sealed, clear (written before migration outbox-at-rest), purged: what subject and the bodies hold (mail/queue/ports.ts BodyState). */
  body_state: Generated<string>;
  message_id: string;
  /** queued, sending, sent, captured, failed */
  status: string;
  attempts: number;
  next_attempt_at: number;
  lease_owner: string | null;
  lease_until: number | null;
  last_reply: string | null;
  created_at: number;
  updated_at: number;
}

/** One row per delivery attempt of an outbox message (migration 0004). */
export interface DeliveryAttemptTable {
  outbox_id: string;
  attempt: number;
  started_at: number;
  duration_ms: number;
  /** The MX or relay host the message was handed to; null for capture. */
  mx_host: string | null;
  remote_ip: string | null;
  /** 0 or 1 */
  tls: number;
  response_code: number | null;
  /** RFC 3463, e.g. 5.1.1 */
  enhanced_status: string | null;
  /** CONN, EHLO, MAIL FROM, RCPT TO, DATA…, capture */
  command: string | null;
  reply_text: string;
  /** sent, deferred, failed */
  outcome: string;
}

export interface RateCounterTable {
  key: string;
  window_start: number;
  count: number;
}

export interface NameLockoutTable {
  key: string;
  failed_sign_ins: number;
  locked_until: number;
}

export interface SettingTable {
  name: string;
  value: string;
}

export interface Database {
  user_pools: UserPoolTable;
  user_pool_clients: UserPoolClientTable;
  users: UserTable;
  user_attributes: UserAttributeTable;
  codes: CodeTable;
  sessions: SessionTable;
  signing_keys: SigningKeyTable;
  outbox: OutboxTable;
  delivery_attempts: DeliveryAttemptTable;
  rate_counters: RateCounterTable;
  name_lockouts: NameLockoutTable;
  settings: SettingTable;
  sending_domains: SendingDomainTable;
  dkim_keys: DkimKeyTable;
}

export interface SendingDomainTable {
  domain: string;
  mail_from_domain: string | null;
  /** UseDefaultValue | RejectMessage */
  behavior_on_mx_failure: string;
  /** rsa2048 | rsa2048+ed25519 */
  dkim_mode: string;
  /** PENDING, SUCCESS, FAILED, TEMPORARY_FAILURE, NOT_STARTED (SES's states) */
  dkim_status: string;
  dkim_reason: string | null;
  mail_from_status: string;
  mail_from_reason: string | null;
  /** SPF on the From domain itself. */
  spf_status: string;
  spf_reason: string | null;
  verification_started_at: number;
  last_checked_at: number | null;
  next_check_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface DkimKeyTable {
  id: string;
  domain: string;
  selector: string;
  /** rsa | ed25519 */
  algorithm: string;
  /** The DNS `p=` value. */
  public_key: string;
  /** PKCS#8 PEM encrypted with AES-256-GCM under the data-dir secret. */
  private_key_encrypted: string;
  created_at: number;
  activated_at: number | null;
  retired_at: number | null;
}
