// Sending identities: a From domain todoku signs for, its MAIL FROM subdomain, and the
// verification state of each, named as Amazon SES names them.

/** SES's verification states (GetEmailIdentity DkimAttributes.Status / MailFromDomainStatus). */
export type VerificationStatus = 'NOT_STARTED' | 'PENDING' | 'SUCCESS' | 'FAILED' | 'TEMPORARY_FAILURE';

/** SES MailFromAttributes.BehaviorOnMxFailure. */
export type BehaviorOnMxFailure = 'UseDefaultValue' | 'RejectMessage';

/** RSA-2048 alone, or RSA-2048 plus an Ed25519 second signature (RFC 8463). */
export type DkimMode = 'rsa2048' | 'rsa2048+ed25519';

export type DkimAlgorithm = 'rsa' | 'ed25519';

export interface SendingDomain {
  domain: string;
  /** Custom MAIL FROM subdomain; null → envelope at the From domain itself. */
  mailFromDomain: string | null;
  behaviorOnMxFailure: BehaviorOnMxFailure;
  dkimMode: DkimMode;
  dkimStatus: VerificationStatus;
  dkimReason: string | null;
  mailFromStatus: VerificationStatus;
  mailFromReason: string | null;
  /** SPF on the From domain itself: what docomo, SoftBank and au's high filter check. */
  spfStatus: VerificationStatus;
  spfReason: string | null;
  verificationStartedAtMs: number;
  lastCheckedAtMs: number | null;
  /** When the scheduled re-check is due; null → only on demand. */
  nextCheckAtMs: number | null;
  createdAtMs: number;
  updatedAtMs: number;
}

export interface DkimKey {
  id: string;
  domain: string;
  selector: string;
  algorithm: DkimAlgorithm;
  /** The `p=` value: base64 SPKI DER (RSA) or the raw 32-byte key (Ed25519, RFC 8463 §4.2). */
  publicKey: string;
  /** Encrypted PKCS#8 PEM (domains/keys.ts); never shown, never logged. */
  privateKeyEncrypted: string;
  createdAtMs: number;
  /** When it began signing; null while only published ahead of a rotation. */
  activatedAtMs: number | null;
  /** When it stopped signing; its record may stay published for mail in flight. */
  retiredAtMs: number | null;
}

export function isActiveKey(key: DkimKey): boolean {
  return key.activatedAtMs !== null && key.retiredAtMs === null;
}

/** The identity may send: its DKIM key is published (SES: the identity is verified). */
export function isVerified(domain: SendingDomain): boolean {
  return domain.dkimStatus === 'SUCCESS';
}
