// The doctor's data: what it is asked about, what it found, what each receiver will do.
// Findings are values (STYLE.md: outcomes are values); only bugs throw.
import type { Clock } from '../core/clock.js';
import type { DnsResolve } from '../dns/resolver.js';

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'error';

/** One DNS record to publish, exactly as it should appear. */
export interface RecordFix {
  name: string;
  type: 'TXT' | 'MX' | 'A' | 'AAAA' | 'PTR' | 'CNAME';
  value: string;
}

export interface Finding {
  /** Stable id, e.g. "spf.from.result"; several findings may share an id (one per DKIM selector). */
  id: string;
  status: CheckStatus;
  message: string;
  evidence: Record<string, unknown>;
  fix?: RecordFix;
}

export interface DkimKeyInput {
  selector: string;
  /** Signing domain (d=); defaults to the From domain. */
  domain?: string;
  /** Our public key (PEM, SPKI) to compare with the published one. */
  publicKeyPem?: string;
  /**
   * Signs the doctor's test message (checks/dkim.ts dkimTestMessage) with this selector's key
   * as the sender's signer does, returning it with its DKIM-Signature; the doctor verifies the
   * result through the DNS. The key stays with the caller: the doctor sees no private key.
   */
  signTestMessage?: (message: string, signTime: Date) => Promise<string>;
}

export interface DoctorInput {
  /** The header-From domain. */
  domain: string;
  /** Header From address; defaults to no-reply@<domain>. */
  fromAddress?: string;
  /** Sender / Resent-* headers the mail carries, for the PRA (RFC 4407 §2). Usually none. */
  headers?: { resentSender?: string; resentFrom?: string; sender?: string };
  /** Envelope MAIL FROM domain (RFC 5321 reverse-path); defaults to the From domain. */
  mailFromDomain?: string;
  heloName?: string;
  /** IPs the mail leaves from; `include:<domain>` entries (TODOKU_SENDING_IPS form) work like `via`. */
  sendingIps: string[];
  /** Sending services named by the SPF include they publish (`amazonses.com`). */
  via?: string[];
  dkim?: DkimKeyInput[];
}

export interface DoctorDeps {
  resolve: DnsResolve;
  clock: Clock;
}

/**
 * `unknown`: a check that decides the verdict could not be completed (DNS did not answer),
 * so the doctor does not guess; exit status 2.
 */
export type Verdict = 'accept' | 'spam' | 'reject' | 'unknown';

export interface ReceiverResult {
  id: string;
  name: string;
  verdict: Verdict;
  /** Check ids that decide the verdict. */
  reasons: string[];
  /** Records that would turn the verdict into accept. */
  fixes: RecordFix[];
  /** What the profile says about the decision (the receiver's own rule, in words). */
  because: string[];
}

export interface DoctorReport {
  /** The header-From domain, as an A-label when internationalised (xn--r8jz45g.jp). */
  domain: string;
  /** Its Unicode form (例え.jp); present only when it differs from `domain`. */
  domainUnicode?: string;
  sendingIps: string[];
  checks: Finding[];
  receivers: ReceiverResult[];
}

/** What every check module receives: the normalized input and the shared (caching) resolver. */
export interface CheckContext {
  domain: string;
  fromAddress: string;
  mailFromDomain: string;
  heloName: string | undefined;
  /** Every IP evaluated: the explicit ones and those taken from `via`. */
  sendingIps: string[];
  /** Set when sendingIps is empty: why (the includes that gave none), for the checks that need an IP. */
  noSendingIp: string | undefined;
  /** Includes named by --via / include: entries that gave sending IPs; a fix authorises them rather than bare IPs. */
  via: string[];
  /** The sendingIps that came from expanding `via`. */
  viaIps: string[];
  dkim: DkimKeyInput[];
  headers: { resentSender?: string; resentFrom?: string; sender?: string };
  resolve: DnsResolve;
  clock: Clock;
}

export function finding(
  id: string,
  status: CheckStatus,
  message: string,
  evidence: Record<string, unknown> = {},
  fix?: RecordFix,
): Finding {
  return fix ? { id, status, message, evidence, fix } : { id, status, message, evidence };
}
