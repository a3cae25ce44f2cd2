// DKIM (RFC 6376): the selector's key record exists and parses (§3.6.1), is strong enough
// (RFC 8301 §3.2: RSA ≥ 1024 to verify, 2048 recommended; RFC 8463: Ed25519 beside RSA),
// is the key we sign with, and a test message signed by the sender's own signer verifies through
// the DNS (mailauth dkimVerify, as receivers verify). d= must align with From for DMARC
// (RFC 7489 §3.1.1). The doctor never holds a private key: the caller passes a signer
// (domains/doctor-input.ts closes it over the identity's key) and the doctor only verifies.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import type { CheckContext, DkimKeyInput, Finding, RecordFix } from '../types.js';
import { finding } from '../types.js';
import { aligned } from '../alignment.js';
import { dnsErrorCode, isNoRecord } from '../../dns/resolver.js';

// RFC 8410 SubjectPublicKeyInfo prefix for a raw 32-byte Ed25519 key (RFC 8463 publishes the raw key).
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function parseDkimTags(record: string): Map<string, string> {
  const tags = new Map<string, string>();
  for (const part of record.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    tags.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).replace(/\s+/g, ''));
  }
  return tags;
}

function publicKeyFromRecord(k: string, p: string): KeyObject {
  const der = Buffer.from(p, 'base64');
  if (k === 'ed25519') {
    if (der.length !== 32) throw new Error(`an Ed25519 key is 32 bytes, this one is ${der.length}`);
    return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, der]), format: 'der', type: 'spki' });
  }
  return createPublicKey({ key: der, format: 'der', type: 'spki' });
}

/** The TXT record to publish for our key. */
export function dkimRecordFor(key: DkimKeyInput, domain: string): RecordFix | undefined {
  if (!key.publicKeyPem) return undefined;
  const pub = createPublicKey(key.publicKeyPem);
  const type = pub.asymmetricKeyType;
  const spki = pub.export({ format: 'der', type: 'spki' });
  const p = type === 'ed25519' ? spki.subarray(ED25519_SPKI_PREFIX.length).toString('base64') : spki.toString('base64');
  return { name: `${key.selector}._domainkey.${domain}`, type: 'TXT', value: `v=DKIM1; k=${type === 'ed25519' ? 'ed25519' : 'rsa'}; p=${p}` };
}

function rfc2822Date(ms: number): string {
  return new Date(ms).toUTCString().replace('GMT', '+0000');
}

export async function dkimChecks(ctx: CheckContext, adkim: 'r' | 's'): Promise<Finding[]> {
  if (ctx.dkim.length === 0) {
    const message = 'no DKIM selector given (--dkim-selector): the doctor sees no DKIM key and treats the mail as unsigned';
    return [finding('dkim.record', 'fail', message, {}), finding('dkim.verify', 'fail', message, {})];
  }
  const out: Finding[] = [];
  const keyTypes: { selector: string; type: string; ok: boolean }[] = [];
  const pending: { index: number; selector: string }[] = [];

  for (const key of ctx.dkim) {
    const d = key.domain ?? ctx.domain;
    const name = `${key.selector}._domainkey.${d}`;
    const fix = dkimRecordFor(key, d);
    const ev: Record<string, unknown> = { selector: key.selector, domain: d, name };
    const fail = (id: string, message: string) => out.push(finding(id, 'fail', message, ev, fix));

    out.push(
      aligned(d, ctx.domain, adkim)
        ? finding('dkim.aligned', 'pass', `d=${d} aligns with From ${ctx.domain} (${adkim === 's' ? 'strict' : 'relaxed'})`, ev)
        : finding('dkim.aligned', 'fail', `d=${d} does not align with From ${ctx.domain} (${adkim === 's' ? 'strict' : 'relaxed'}, RFC 7489 §3.1.1): sign with a key in ${ctx.domain}`, ev),
    );

    let rows: string[][];
    try {
      rows = (await ctx.resolve(name, 'TXT')) as string[][];
    } catch (err) {
      if (!isNoRecord(err)) {
        out.push(finding('dkim.record', 'error', `could not read ${name} (${dnsErrorCode(err)})`, ev));
        out.push(finding('dkim.verify', 'error', `could not read ${name} (${dnsErrorCode(err)})`, ev));
        continue;
      }
      rows = [];
    }
    const record = rows.map((r) => r.join('')).find((r) => /(^|;)\s*p\s*=/i.test(r));
    ev.record = record ?? null;
    if (!record) {
      fail('dkim.record', `no DKIM key at ${name}`);
      fail('dkim.verify', `signatures with selector ${key.selector} cannot verify: ${name} has no key`);
      continue;
    }
    const tags = parseDkimTags(record);
    const k = (tags.get('k') ?? 'rsa').toLowerCase();
    const p = tags.get('p') ?? '';
    if (tags.has('v') && tags.get('v') !== 'DKIM1') {
      fail('dkim.record', `${name}: v= must be DKIM1 (RFC 6376 §3.6.1)`);
      fail('dkim.verify', `the key at ${name} is unusable`);
      continue;
    }
    if (p === '') {
      fail('dkim.record', `${name} has an empty p=: the key is revoked (RFC 6376 §3.6.1)`);
      fail('dkim.verify', `the key at ${name} is revoked`);
      continue;
    }
    let published: KeyObject;
    try {
      published = publicKeyFromRecord(k, p);
    } catch (err) {
      ev.parseError = (err as Error).message;
      fail('dkim.record', `${name}: p= does not decode to a ${k === 'ed25519' ? 'Ed25519' : 'RSA'} public key — truncated when it was pasted?`);
      fail('dkim.verify', `the key at ${name} is unusable`);
      continue;
    }
    out.push(finding('dkim.record', 'pass', `${name} publishes a ${k} key`, ev));

    let sizeOk = true;
    if (published.asymmetricKeyType === 'rsa') {
      const bits = published.asymmetricKeyDetails?.modulusLength ?? 0;
      ev.bits = bits;
      if (bits >= 2048) out.push(finding('dkim.keysize', 'pass', `RSA ${bits} bits`, ev));
      else if (bits >= 1024) out.push(finding('dkim.keysize', 'warn', `RSA ${bits} bits: still verified, but 2048 is the norm (RFC 8301 §3.2)`, ev, fix));
      else {
        sizeOk = false;
        out.push(finding('dkim.keysize', 'fail', `RSA ${bits} bits: verifiers must not accept keys under 1024 bits (RFC 8301 §3.2)`, ev, fix));
      }
      keyTypes.push({ selector: key.selector, type: 'rsa', ok: bits >= 2048 });
    } else {
      keyTypes.push({ selector: key.selector, type: published.asymmetricKeyType ?? k, ok: true });
      pending.push({ index: out.length, selector: key.selector });
      out.push(finding('dkim.keysize', 'pass', 'Ed25519', ev));
    }

    let matches = true;
    if (key.publicKeyPem) {
      const ours = createPublicKey(key.publicKeyPem).export({ format: 'der', type: 'spki' });
      const theirs = published.export({ format: 'der', type: 'spki' });
      matches = ours.equals(theirs);
      out.push(
        matches
          ? finding('dkim.match', 'pass', `${name} is our key`, ev)
          : finding('dkim.match', 'fail', `${name} publishes a different key than the one todoku signs with`, ev, fix),
      );
    }

    if (key.signTestMessage) {
      out.push(await signAndVerify(ctx, key, d, ev, fix));
    } else if (!sizeOk || !matches) {
      fail('dkim.verify', `signatures with selector ${key.selector} would not verify`);
    } else {
      out.push(finding('dkim.verify', 'pass', `the key at ${name} is usable (no signer given, so no test signature)`, ev));
    }
  }

  // RFC 8463 §4: Ed25519 is not yet verified everywhere; publish it beside an RSA key.
  if (!keyTypes.some((t) => t.type === 'rsa' && t.ok)) {
    for (const { index, selector } of pending) {
      const f = out[index]!;
      out[index] = { ...f, status: 'warn', message: `Ed25519 alone (selector ${selector}): many receivers verify only RSA — sign with an RSA-2048 key too` };
    }
  }
  return out;
}

/** The message the doctor has signed for its test: From is the one signed header DKIM requires (RFC 6376 §5.4). */
export function dkimTestMessage(fromAddress: string, domain: string, nowMs: number): string {
  return (
    `From: ${fromAddress}\r\nTo: doctor@example.invalid\r\nSubject: todoku doctor DKIM test\r\n` +
    `Date: ${rfc2822Date(nowMs)}\r\nMessage-ID: <doctor.${nowMs}@${domain}>\r\n\r\nDKIM test.\r\n`
  );
}

async function signAndVerify(ctx: CheckContext, key: DkimKeyInput, d: string, ev: Record<string, unknown>, fix: RecordFix | undefined): Promise<Finding> {
  const nowMs = ctx.clock.nowMs();
  const message = dkimTestMessage(ctx.fromAddress, ctx.domain, nowMs);
  let signed: string;
  try {
    signed = await key.signTestMessage!(message, new Date(nowMs));
  } catch (err) {
    return finding('dkim.verify', 'fail', `signing the test message failed: ${(err as Error).message}`, ev, fix);
  }
  if (!/^DKIM-Signature:/im.test(signed)) {
    return finding('dkim.verify', 'fail', 'signing the test message failed: no signature produced', ev, fix);
  }
  const verified = await dkimVerify(signed, { resolver: ctx.resolve, curTime: new Date(nowMs) });
  const result = verified.results.find((r) => r.selector === key.selector) ?? verified.results[0];
  const status = result?.status.result ?? 'none';
  const evidence = { ...ev, signature: result?.info };
  if (status === 'pass') return finding('dkim.verify', 'pass', `a test signature (s=${key.selector}, d=${d}) verifies through the DNS`, evidence);
  if (status === 'temperror' || status === 'temperr') return finding('dkim.verify', 'error', `the test signature could not be verified (DNS)`, evidence);
  return finding('dkim.verify', 'fail', `a test signature (s=${key.selector}, d=${d}) does not verify: ${status}${result?.status.comment ? ` (${result.status.comment})` : ''}`, evidence, fix);
}
