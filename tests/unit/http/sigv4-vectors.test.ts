// Our SigV4 verifier against AWS's published Signature Version 4 test suite and the worked
// example of the AWS documentation (tests/fixtures/sigv4/SOURCE.md): for every vector, our
// canonical request, string to sign and signature equal the published ones; then the verifier
// accepts each vector re-signed for `cognito-idp`, and refuses it tampered with. (Re-signing uses
// our own signature(), which the first part shows equal to AWS's; tests/e2e/cognito/sigv4.test.ts
// has the AWS SDK's own signer accepted over HTTP.)
//
// These are the verifier's pure pieces. Over HTTP, Node answers 400 before we see a request line
// with a raw space or UTF-8 (get-space, get-utf8) or a folded header (get-header-value-multiline),
// and joins a repeated header with ", " in req.headers (get-header-key-duplicate signs them joined
// with ","): dispatch passes req.raw.rawHeaders, read below as Node gives it, and
// tests/e2e/cognito/sigv4-binding.test.ts sends a repeated signed header over HTTP.
import { createHash, createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { canonicalRequest, signature, stringToSign, verifySigV4, type SignedRequest, type SigningScope } from '../../../src/http/cognito/sigv4.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/sigv4/', import.meta.url));
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';

interface Vector {
  name: string;
  request: SignedRequest;
  creq: string;
  sts: string;
  authorization: string;
  accessKeyId: string;
  scope: SigningScope;
  signedHeaders: string[];
  signature: string;
}

/** Every folder holding `<name>.req` with its `.creq`, `.sts` and `.authz`. */
function vectors(dir: string): Vector[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => {
      const folder = join(dir, e.name);
      const file = (ext: string) => readFileSync(join(folder, `${e.name}.${ext}`), 'utf8');
      const nested = vectors(folder);
      if (!readdirSync(folder).includes(`${e.name}.req`)) return nested;
      const authorization = file('authz');
      const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(authorization);
      if (!m) throw new Error(`unreadable ${e.name}.authz: ${authorization}`);
      return [
        {
          name: relative(FIXTURES, folder),
          request: parseRequest(file('req')),
          creq: file('creq'),
          sts: file('sts'),
          authorization,
          accessKeyId: m[1]!,
          scope: { date: m[2]!, region: m[3]!, service: m[4]! },
          signedHeaders: m[5]!.split(';'),
          signature: m[6]!,
        },
        ...nested,
      ];
    });
}

/**
 * An HTTP/1.1 request as the suite writes it (LF line ends) → the request as the verifier sees it:
 * header names lower-cased, a repeated header as its list of values; a folded line (obs-fold)
 * continues the value before it as one more element of that list — the suite's canonical form
 * joins them with commas.
 */
function parseRequest(text: string): SignedRequest {
  const blank = text.indexOf('\n\n');
  const head = (blank < 0 ? text : text.slice(0, blank)).split('\n');
  const body = blank < 0 ? '' : text.slice(blank + 2);
  const requestLine = head.shift()!;
  const m = /^(\S+) (.*) HTTP\/1\.1$/.exec(requestLine);
  if (!m) throw new Error(`unreadable request line: ${requestLine}`);
  const headers: Record<string, string[]> = {};
  let last: string[] | undefined;
  for (const line of head) {
    if (/^\s/.test(line) && last) {
      last.push(line.trim());
      continue;
    }
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).toLowerCase();
    last = headers[name] ??= [];
    last.push(line.slice(colon + 1));
  }
  return {
    method: m[1]!,
    url: m[2]!,
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.length === 1 ? v[0]! : v])),
    body,
  };
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const amzDateOf = (v: Vector) => v.request.headers['x-amz-date'] as string;
const SIGNED_AT_MS = Date.UTC(2015, 7, 30, 12, 36, 0);

const suite = vectors(join(FIXTURES, 'aws-sig-v4-test-suite'));
const iam = vectors(FIXTURES).filter((v) => v.name === 'iam-list-users');

/**
 * Path normalisation (RFC 3986 dot segments, repeated slashes) is not ours to do: the Cognito JSON
 * API has one path, `/` (dispatch.ts routes `POST /` only), so a request for `/example/..` or `//`
 * is answered by the router before any signature is read. We sign and compare `/` as AWS does.
 */
const NOT_APPLICABLE = new Set(suite.filter((v) => v.name.includes('/normalize-path/') && !v.name.endsWith('/get-space')).map((v) => v.name));

/**
 * Two vectors whose published files disagree with each other (other implementations, e.g.
 * aws-sdk-js-v3's suite fixture, read them the same way). What each file does say is checked below.
 */
const ERRATA = {
  // The .creq lists content-length, which the .authz does not sign; the .sts and .authz are those
  // of the canonical request without it.
  formUrlencoded: 'aws-sig-v4-test-suite/post-x-www-form-urlencoded',
  // The .creq is that of the .req; its .sts and .authz were computed for `charset=utf8` (not utf-8)
  // with content-type;host;x-amz-date signed.
  formParameters: 'aws-sig-v4-test-suite/post-x-www-form-urlencoded-parameters',
};

/** The vector's request as a client would send it to todoku: signed again, for cognito-idp. */
function resignedForCognito(v: Vector): SignedRequest {
  const scope = { ...v.scope, service: 'cognito-idp' };
  const canonical = canonicalRequest(v.request, v.signedHeaders, sha256(v.request.body));
  const sig = signature(SECRET, scope, stringToSign(amzDateOf(v), scope, canonical));
  const authorization = `AWS4-HMAC-SHA256 Credential=${v.accessKeyId}/${scope.date}/${scope.region}/cognito-idp/aws4_request, SignedHeaders=${v.signedHeaders.join(';')}, Signature=${sig}`;
  return { ...v.request, headers: { ...v.request.headers, authorization } };
}

const admin = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET };
/**
 * The vectors are scoped to us-east-1 and sign only what a generic request has (Host, X-Amz-Date,
 * sometimes more); dispatch.ts requires TODOKU_REGION and Cognito's headers (COGNITO_SIGNED_HEADERS),
 * which tests/e2e/cognito/sigv4-binding.test.ts checks over HTTP.
 */
const VECTORS = { region: 'us-east-1', requiredSignedHeaders: ['host'] };

describe('AWS SigV4 test vectors', () => {
  it('reads the whole suite and the IAM ListUsers example', () => {
    expect(suite.map((v) => v.name)).toContain('aws-sig-v4-test-suite/get-vanilla');
    expect(suite).toHaveLength(31);
    expect(iam).toHaveLength(1);
    expect([...NOT_APPLICABLE].sort()).toEqual(
      ['get-relative', 'get-relative-relative', 'get-slash', 'get-slash-dot-slash', 'get-slash-pointless-dot', 'get-slashes'].map(
        (n) => `aws-sig-v4-test-suite/normalize-path/${n}`,
      ),
    );
  });

  const checked = [...suite, ...iam].filter((v) => !NOT_APPLICABLE.has(v.name) && v.name !== ERRATA.formUrlencoded && v.name !== ERRATA.formParameters);
  describe.each(checked.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    it('our canonical request, string to sign and signature are the published ones', () => {
      const canonical = canonicalRequest(v.request, v.signedHeaders, sha256(v.request.body));
      expect(canonical).toBe(v.creq);
      const toSign = stringToSign(amzDateOf(v), v.scope, canonical);
      expect(toSign).toBe(v.sts);
      expect(signature(SECRET, v.scope, toSign)).toBe(v.signature);
    });
  });

  describe('the two vectors whose files disagree', () => {
    const byName = (name: string) => suite.find((v) => v.name === name)!;
    it('post-x-www-form-urlencoded: the .sts and .authz are those of the signed headers', () => {
      const v = byName(ERRATA.formUrlencoded);
      expect(v.signedHeaders).toEqual(['content-type', 'host', 'x-amz-date']);
      const canonical = canonicalRequest(v.request, v.signedHeaders, sha256(v.request.body));
      expect(canonical).toBe(v.creq.replace('content-length:13\n', '').replace('content-length;', ''));
      const toSign = stringToSign(amzDateOf(v), v.scope, canonical);
      expect(toSign).toBe(v.sts);
      expect(signature(SECRET, v.scope, toSign)).toBe(v.signature);
    });
    it('post-x-www-form-urlencoded-parameters: the .creq is the .req\'s; the .sts and .authz are charset=utf8\'s', () => {
      const v = byName(ERRATA.formParameters);
      expect(canonicalRequest(v.request, v.signedHeaders, sha256(v.request.body))).toBe(v.creq);
      const utf8 = { ...v.request, headers: { ...v.request.headers, 'content-type': 'application/x-www-form-urlencoded; charset=utf8' } };
      const toSign = stringToSign(amzDateOf(v), v.scope, canonicalRequest(utf8, ['content-type', 'host', 'x-amz-date'], sha256(v.request.body)));
      expect(toSign).toBe(v.sts);
      expect(signature(SECRET, v.scope, toSign)).toBe(v.signature);
    });
  });

  it('the IAM example\'s signing key is the documented one', () => {
    // kSigning of the documentation = the HMAC key under which the .sts gives the .authz signature.
    const kSigning = Buffer.from('c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9', 'hex');
    expect(createHmac('sha256', kSigning).update(iam[0]!.sts).digest('hex')).toBe(signature(SECRET, iam[0]!.scope, iam[0]!.sts));
  });
});

describe('verifySigV4 on the vectors re-signed for cognito-idp', () => {
  const applicable = [...suite, ...iam].filter((v) => !NOT_APPLICABLE.has(v.name));

  it.each(applicable.map((v) => [v.name, v] as const))('%s: accepted', (_name, v) => {
    expect(verifySigV4(resignedForCognito(v), admin, SIGNED_AT_MS, VECTORS)).toBe('AKIDEXAMPLE');
  });

  it('get-header-key-duplicate verifies from the raw header list Node gives (repeated lines, values trimmed)', () => {
    const v = applicable.find((x) => x.name === 'aws-sig-v4-test-suite/get-header-key-duplicate')!;
    const signed = resignedForCognito(v);
    const rawHeaders = Object.entries(signed.headers).flatMap(([name, value]) => ([] as string[]).concat(value!).flatMap((one) => [name, one.trim()]));
    expect(rawHeaders.filter((h) => h === 'my-header1')).toHaveLength(3);
    // What Node's req.headers would hold for it: the values joined with ", ".
    const joined = { ...signed.headers, 'my-header1': (signed.headers['my-header1'] as string[]).join(', ') };
    expect(verifySigV4({ ...signed, headers: joined, rawHeaders }, admin, SIGNED_AT_MS, VECTORS)).toBe('AKIDEXAMPLE');
    expect(() => verifySigV4({ ...signed, headers: joined }, admin, SIGNED_AT_MS, VECTORS)).toThrow('does not match');
  });

  it.each(applicable.map((v) => [v.name, v] as const))('%s: refused as published (scoped to another service), in another region, tampered with or late', (_name, v) => {
    const signed = resignedForCognito(v);
    expect(() => verifySigV4({ ...v.request, headers: { ...v.request.headers, authorization: v.authorization } }, admin, SIGNED_AT_MS, VECTORS)).toThrow(
      "Credential should be scoped to correct service: 'cognito-idp'.",
    );
    expect(v.scope.service).not.toBe('cognito-idp');
    expect(() => verifySigV4(signed, admin, SIGNED_AT_MS, { ...VECTORS, region: 'ap-northeast-1' })).toThrow(
      `Credential should be scoped to a valid region, not '${v.scope.region}'.`,
    );
    const mismatch = 'The request signature we calculated does not match the signature you provided.';
    expect(() => verifySigV4({ ...signed, body: signed.body + ' ' }, admin, SIGNED_AT_MS, VECTORS)).toThrow(mismatch);
    expect(() => verifySigV4({ ...signed, headers: { ...signed.headers, host: 'example.amazonaws.com.evil' } }, admin, SIGNED_AT_MS, VECTORS)).toThrow(mismatch);
    expect(() => verifySigV4({ ...signed, method: signed.method === 'GET' ? 'POST' : 'GET' }, admin, SIGNED_AT_MS, VECTORS)).toThrow(mismatch);
    expect(() => verifySigV4(signed, { ...admin, secretAccessKey: SECRET + 'x' }, SIGNED_AT_MS, VECTORS)).toThrow(mismatch);
    expect(() => verifySigV4(signed, admin, SIGNED_AT_MS + 5 * 60_000 + 1, VECTORS)).toThrow('Signature expired');
    expect(verifySigV4(signed, admin, SIGNED_AT_MS + 5 * 60_000, VECTORS)).toBe('AKIDEXAMPLE');
  });
});
