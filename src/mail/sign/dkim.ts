// DKIM signing stage (RFC 6376), with an optional second Ed25519 signature (RFC 8463).
// mailauth's signer does both algorithms; nodemailer's signs RSA only.
import { dkimSign } from 'mailauth/lib/dkim/sign.js';

export interface SigningKey {
  /** d= : the From domain, so DKIM aligns with it for DMARC (RFC 7489 §3.1.1). */
  domain: string;
  selector: string;
  algorithm: 'rsa' | 'ed25519';
  /** PKCS#8 PEM, decrypted just for signing. */
  privateKeyPem: string;
}

/**
 * The header fields signed. From is required (RFC 6376 §5.4); the rest are the ones a
 * forger would change to reuse a verification mail. A field listed but absent is
 * skipped, so adding one later does not break signatures on mail that lacks it.
 */
export const SIGNED_HEADERS = [
  'From',
  'To',
  'Subject',
  'Date',
  'Message-ID',
  'Reply-To',
  'MIME-Version',
  'Content-Type',
  'Content-Transfer-Encoding',
  'Auto-Submitted',
];

export class DkimSignError extends Error {}

/**
 * Returns the message with one DKIM-Signature per key prepended, relaxed/relaxed
 * (survives the header re-folding relays do). `signTime` sets t= (RFC 6376 §3.5).
 */
export async function signMessage(raw: string, keys: SigningKey[], signTime: Date): Promise<string> {
  if (keys.length === 0) return raw;
  const result = await dkimSign(raw, {
    // The typings say string[], the code takes mailauth's colon-separated list.
    headerList: SIGNED_HEADERS.join(':') as unknown as string[],
    canonicalization: 'relaxed/relaxed',
    signTime,
    signatureData: keys.map((k) => ({
      signingDomain: k.domain,
      selector: k.selector,
      privateKey: k.privateKeyPem,
      algorithm: k.algorithm === 'ed25519' ? 'ed25519-sha256' : 'rsa-sha256',
      canonicalization: 'relaxed/relaxed',
    })),
  } as Parameters<typeof dkimSign>[1]);
  if (result.errors.length > 0) {
    // Never include the key: only where it failed and why.
    const first = result.errors[0] as unknown as { selector?: string; signingDomain?: string; err?: Error };
    throw new DkimSignError(`DKIM signing failed for ${first.selector ?? '?'}._domainkey.${first.signingDomain ?? '?'}: ${first.err?.message ?? 'unknown error'}`);
  }
  return result.signatures + raw;
}
