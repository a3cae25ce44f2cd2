// todoku's DKIM signer, checked by the field's verifier: every signature must verify with
// mailauth's dkimVerify against the published key, and stop verifying when the mail changes.
import { describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { relaxedBody, relaxedHeader, signMessage, type SigningKey } from '../../../src/mail/sign/dkim.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ed = generateKeyPairSync('ed25519');

/** The DNS, as mailauth asks it: the two selectors' TXT records. */
const records: Record<string, string> = {
  'rsa1._domainkey.example.jp': `v=DKIM1; k=rsa; p=${rsa.publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`,
  // RFC 8463 §4.2: the raw 32-byte public key, not SPKI.
  'ed1._domainkey.example.jp': `v=DKIM1; k=ed25519; p=${ed.publicKey.export({ type: 'spki', format: 'der' }).subarray(-32).toString('base64')}`,
};
const resolver = async (name: string, type: string) => {
  const txt = records[name];
  if (type !== 'TXT' || !txt) throw Object.assign(new Error(`no ${type} for ${name}`), { code: 'ENOTFOUND' });
  return [[txt]];
};

const keys: SigningKey[] = [
  { domain: 'example.jp', selector: 'rsa1', algorithm: 'rsa', privateKey: rsa.privateKey },
  { domain: 'example.jp', selector: 'ed1', algorithm: 'ed25519', privateKey: ed.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string },
];

const message = [
  'From: =?UTF-8?B?5L6L?= <no-reply@example.jp>',
  'To: <"taro..yamada"@docomo.ne.jp>',
  'Subject: =?UTF-8?Q?=E7=A2=BA=E8=AA=8D?=',
  ' =?UTF-8?Q?=E3=82=B3=E3=83=BC=E3=83=89?=',
  'Date: Thu, 26 Nov 2026 10:00:00 +0000',
  'Message-ID: <abc@example.jp>',
  'X-Not-Signed: yes',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Your code is 123456.  ',
  '\t trailing   spaces\t',
  '',
  '',
].join('\r\n');

async function verify(raw: string) {
  const result = await dkimVerify(Buffer.from(raw), { resolver: resolver as never });
  return result.results.map((r) => [(r as unknown as { selector: string }).selector, r.status.result]);
}

describe('signMessage', () => {
  it('produces RSA and Ed25519 signatures that mailauth verifies', async () => {
    const signed = await signMessage(message, keys, new Date('2026-11-26T10:00:00Z'));
    expect(signed.match(/^DKIM-Signature:/gm)).toHaveLength(2);
    expect(signed).toContain('a=rsa-sha256; c=relaxed/relaxed; d=example.jp; s=rsa1;');
    expect(signed).toContain('t=1795687200; h=from:to:subject:date:message-id:content-type;');
    expect(await verify(signed)).toEqual([
      ['rsa1', 'pass'],
      ['ed1', 'pass'],
    ]);
  });

  it('survives refolding and whitespace changes (relaxed/relaxed), fails when the body changes', async () => {
    const signed = await signMessage(message, keys.slice(0, 1), new Date());
    const refolded = signed.replace('Subject: =?UTF-8?Q?=E7=A2=BA=E8=AA=8D?=\r\n =?UTF-8', 'Subject:   =?UTF-8?Q?=E7=A2=BA=E8=AA=8D?= =?UTF-8');
    expect(await verify(refolded)).toEqual([['rsa1', 'pass']]);
    // mailauth reports a body-hash mismatch as "neutral" (body hash did not verify): not a pass.
    expect(await verify(signed.replace('123456', '654321'))).toEqual([['rsa1', 'neutral']]);
    expect(await verify(signed.replace('<abc@example.jp>', '<evil@example.jp>'))).toEqual([['rsa1', 'fail']]);
  });

  it('signs mail written with bare LF line ends as CRLF', async () => {
    const signed = await signMessage(message.replace(/\r\n/g, '\n'), keys.slice(0, 1), new Date());
    expect(signed).not.toMatch(/[^\r]\n/);
    expect(await verify(signed)).toEqual([['rsa1', 'pass']]);
  });

  it('signs the last instance of a repeated field, and a field with a space before its colon folded with tabs', async () => {
    const repeated = message.replace('Date:', 'Subject: first\r\nDate:').replace('Content-Type:', 'Content-Type :\t text/plain;\r\n\t  charset=utf-8\r\nX-Old:');
    const signed = await signMessage(repeated, keys, new Date('2026-11-26T10:00:00Z'));
    expect(await verify(signed)).toEqual([
      ['rsa1', 'pass'],
      ['ed1', 'pass'],
    ]);
    // The later Subject is the signed one: changing it breaks the signature, changing the earlier one does not.
    expect(await verify(signed.replace('Subject: first', 'Subject: other'))).toEqual([
      ['rsa1', 'fail'],
      ['ed1', 'fail'],
    ]);
    expect(await verify(signed.replace('=E7=A2=BA=E8=AA=8D?=\r\n', '=E7=A2=BA=E8=AA=8E?=\r\n'))).toEqual([
      ['rsa1', 'pass'],
      ['ed1', 'pass'],
    ]);
  });

  it('refuses a message without From and names an unreadable key without showing it', async () => {
    await expect(signMessage('To: a@example.jp\r\n\r\nbody', keys, new Date())).rejects.toThrow(/needs a From header/);
    const bad = [{ ...keys[0]!, privateKey: '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----' }];
    await expect(signMessage(message, bad, new Date())).rejects.toThrow(/rsa1\._domainkey\.example\.jp cannot be read/);
  });
});

describe('canonicalisation (RFC 6376 §3.4)', () => {
  it('relaxes header fields', () => {
    expect(relaxedHeader('SubJect :  a \r\n\t b  ')).toBe('subject:a b');
  });
  it('relaxes bodies: inner runs to one space, line-end space and trailing empty lines gone', () => {
    expect(relaxedBody('a  b \t\r\n\r\n\r\n')).toBe('a b\r\n');
    expect(relaxedBody('')).toBe('');
    expect(relaxedBody('\r\n\r\n')).toBe('');
    expect(relaxedBody('no newline')).toBe('no newline\r\n');
  });
});
