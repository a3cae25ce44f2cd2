// What the domains feature needs from storage. Methods run inside the caller's
// transaction when called on the ports handed to a `transaction` callback.
import type { DkimKey, SendingDomain, VerificationStatus } from './model.js';

export interface VerificationPatch {
  dkimStatus: VerificationStatus;
  dkimReason: string | null;
  mailFromStatus: VerificationStatus;
  mailFromReason: string | null;
  spfStatus: VerificationStatus;
  spfReason: string | null;
  /** Start of the 72-hour window; an on-demand check after it ran out restarts it. */
  verificationStartedAtMs: number;
  lastCheckedAtMs: number;
  nextCheckAtMs: number | null;
}

export interface DomainsPort {
  /** Inserts the identity and its keys; false (and nothing written) when the domain exists. */
  createDomain(domain: SendingDomain, keys: DkimKey[]): Promise<boolean>;
  findDomain(domain: string): Promise<SendingDomain | undefined>;
  /** Ordered by domain. */
  listDomains(): Promise<SendingDomain[]>;
  /** Identities whose scheduled re-check is due at `nowMs`. */
  listDomainsDueForCheck(nowMs: number, limit: number): Promise<SendingDomain[]>;
  recordVerification(domain: string, patch: VerificationPatch, nowMs: number): Promise<void>;
  /** Deletes the identity and its keys. */
  deleteDomain(domain: string): Promise<void>;
  /** Every key of the domain, oldest first, retired ones included. */
  listDkimKeys(domain: string): Promise<DkimKey[]>;
  insertDkimKey(key: DkimKey): Promise<void>;
  activateDkimKey(id: string, nowMs: number): Promise<void>;
  retireDkimKey(id: string, nowMs: number): Promise<void>;
}
