// Verifies AWS Signature Version 4 on operator calls (service `cognito-idp`).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
import { createHash, createHmac } from 'node:crypto';
import { safeEqual } from '../../core/compare.js';
import {
  IncompleteSignatureException,
  InvalidSignatureException,
  MissingAuthenticationTokenException,
  UnrecognizedClientException,
} from '../../userpool/errors.js';

export interface AdminCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SignedRequest {
  method: string;
  /** Path and query as received, e.g. "/" or "/?a=b". */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /**
   * Node's `req.rawHeaders` ([name, value, name, value, …]). When given, headers are read from it:
   * a repeated header is signed as its values joined with "," (the suite's get-header-key-duplicate),
   * while Node's `req.headers` joins them with ", " or keeps only the first.
   */
  rawHeaders?: readonly string[];
  body: string;
}

/** What a signature must cover on this server, beyond being a valid SigV4 signature. */
export interface SigningPolicy {
  /** The one region a credential scope may name: the server's TODOKU_REGION. */
  region: string;
  /** Header names (lower case) that must be among SignedHeaders; Cognito's by default. */
  requiredSignedHeaders?: readonly string[];
}

/**
 * A JSON-protocol call is its Host, its operation (X-Amz-Target) and how its body is read
 * (Content-Type): a signature that leaves one out could be replayed as another operation, e.g. a
 * signed DescribeUserPool resent as DeleteUserPool. The AWS SDK signs all three.
 */
export const COGNITO_SIGNED_HEADERS: readonly string[] = ['host', 'x-amz-target', 'content-type'];

// How the refusal names a header: AWS's own wording for Host; the others follow its form.
const SIGNED_HEADER_NAMES: Record<string, string> = {
  host: "'Host' or ':authority'",
  'x-amz-target': "'X-Amz-Target'",
  'content-type': "'Content-Type'",
};

/** AWS refuses signatures whose date is more than 5 minutes from its clock. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

const AUTH_RE = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})\s*$/;

function header(req: SignedRequest, name: string): string | undefined {
  if (req.rawHeaders) {
    const values: string[] = [];
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
      if (req.rawHeaders[i]!.toLowerCase() === name) values.push(req.rawHeaders[i + 1]!.trim());
    }
    return values.length > 0 ? values.join(',') : undefined;
  }
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function sha256(data: string): string {
  return createHash('sha256').update(data, 'utf8').digest('hex');
}

// RFC 3986 unreserved characters stay; everything else is %XX (upper case), as SigV4 wants.
function uriEncode(s: string, keepSlash: boolean): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%2F/g, keepSlash ? '/' : '%2F');
}

// A broken percent escape cannot have been signed: an invalid signature, not a URIError (500).
function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new InvalidSignatureException('The request URI has a malformed percent-encoding.');
  }
}

function canonicalQuery(query: string): string {
  if (!query) return '';
  return query
    .split('&')
    .filter((p) => p.length > 0)
    .map((pair) => {
      const i = pair.indexOf('=');
      const k = decode((i < 0 ? pair : pair.slice(0, i)).replace(/\+/g, ' '));
      const v = i < 0 ? '' : decode(pair.slice(i + 1).replace(/\+/g, ' '));
      return [uriEncode(k, false), uriEncode(v, false)] as const;
    })
    .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

/** 20150830T123600Z: the ISO 8601 basic form SigV4 uses, to the second. */
function basicIso(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The signing time in the ISO 8601 basic form the string to sign uses. X-Amz-Date wins; without
 * it the Date header (an HTTP date, RFC 9110 IMF-fixdate, or the basic form) is the signing time,
 * as AWS's refusal "requires existence of either a 'X-Amz-Date' or a 'Date' header" says.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#add-signature-to-request
 */
function signingTime(req: SignedRequest): { amzDate: string; signedAtMs: number } | undefined {
  const amzDate = header(req, 'x-amz-date');
  if (amzDate !== undefined) {
    const signedAtMs = parseAmzDate(amzDate);
    return signedAtMs === undefined ? undefined : { amzDate, signedAtMs };
  }
  const date = header(req, 'date');
  if (date === undefined) return undefined;
  const basic = parseAmzDate(date);
  if (basic !== undefined) return { amzDate: date, signedAtMs: basic };
  const m = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/.exec(date);
  const month = m ? MONTHS.indexOf(m[2]!) : -1;
  if (!m || month < 0) return undefined;
  const signedAtMs = Date.UTC(+m[3]!, month, +m[1]!, +m[4]!, +m[5]!, +m[6]!);
  return { amzDate: basicIso(signedAtMs), signedAtMs };
}

/** The credential scope `date/region/service`, under which a signing key is derived. */
export interface SigningScope {
  /** YYYYMMDD, the date of X-Amz-Date. */
  date: string;
  region: string;
  service: string;
}

export function credentialScope(scope: SigningScope): string {
  return `${scope.date}/${scope.region}/${scope.service}/aws4_request`;
}

/**
 * Task 1, the canonical request: method, URI-encoded path, sorted query, the signed headers
 * (lower-case name, trimmed value with runs of spaces made one), their names, the payload hash.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#create-canonical-request
 * Throws InvalidSignatureException when a signed header is missing or the URI is badly escaped.
 */
export function canonicalRequest(req: SignedRequest, signedHeaders: readonly string[], payloadHash: string): string {
  const canonicalHeaders = signedHeaders
    .map((name) => {
      const value = header(req, name);
      if (value === undefined) throw new InvalidSignatureException(`Signed header '${name}' is missing from the request.`);
      return `${name}:${value.trim().replace(/\s+/g, ' ')}\n`;
    })
    .join('');
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  const query = q < 0 ? '' : req.url.slice(q + 1);
  const canonicalPath = path
    .split('/')
    .map((seg) => uriEncode(decode(seg), false))
    .join('/');
  return [req.method.toUpperCase(), canonicalPath || '/', canonicalQuery(query), canonicalHeaders, signedHeaders.join(';'), payloadHash].join('\n');
}

/** Task 2, the string to sign. */
export function stringToSign(amzDate: string, scope: SigningScope, canonical: string): string {
  return ['AWS4-HMAC-SHA256', amzDate, credentialScope(scope), sha256(canonical)].join('\n');
}

/** Tasks 3 and 4: the signing key derived from the secret and the scope, and the hex signature. */
export function signature(secretAccessKey: string, scope: SigningScope, toSign: string): string {
  const kDate = hmac('AWS4' + secretAccessKey, scope.date);
  const kSigning = hmac(hmac(hmac(kDate, scope.region), scope.service), 'aws4_request');
  return createHmac('sha256', kSigning).update(toSign, 'utf8').digest('hex');
}

/**
 * Throws the AWS error a wrongly signed call gets; returns the access key id when the
 * signature is right, the date within MAX_CLOCK_SKEW_MS, the key is the admin's, the scope is
 * `policy.region`/cognito-idp, and the headers the policy requires are signed.
 */
export function verifySigV4(req: SignedRequest, creds: AdminCredentials, nowMs: number, policy: SigningPolicy): string {
  const authorization = header(req, 'authorization');
  if (!authorization) throw new MissingAuthenticationTokenException('Missing Authentication Token');
  const m = AUTH_RE.exec(authorization);
  if (!m) {
    throw new IncompleteSignatureException(
      "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters of an AWS4-HMAC-SHA256 signature.",
    );
  }
  const [, credential, signedHeadersRaw, provided] = m as unknown as [string, string, string, string];
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request') {
    throw new IncompleteSignatureException(`Credential should be scoped to a valid region, not '${credential}'.`);
  }
  const [accessKeyId, date, region, service] = parts as [string, string, string, string, string];
  // Both refusals in AWS's words (IAM user guide, "Troubleshoot Signature Version 4 signing";
  // services answer them with InvalidSignatureException on JSON protocols).
  if (service !== 'cognito-idp') {
    throw new InvalidSignatureException("Credential should be scoped to correct service: 'cognito-idp'.");
  }
  // A signature made for one region must not be good in another (AWS scopes keys by region).
  if (region !== policy.region) {
    throw new InvalidSignatureException(`Credential should be scoped to a valid region, not '${region}'.`);
  }
  if (!safeEqual(accessKeyId, creds.accessKeyId)) {
    throw new UnrecognizedClientException('The security token included in the request is invalid.');
  }
  const time = signingTime(req);
  if (time === undefined) {
    throw new IncompleteSignatureException('Authorization header requires existence of either a \'X-Amz-Date\' or a \'Date\' header.');
  }
  const { amzDate, signedAtMs: signedAt } = time;
  if (!amzDate.startsWith(date)) {
    throw new InvalidSignatureException(`Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${date}' != '${amzDate.slice(0, 8)}'`);
  }
  // AWS's wording, e.g. "Signature expired: 20160610T180547Z is now earlier than 20160610T180612Z
  // (20160610T181112Z - 5 min.)" (IAM user guide, "Troubleshoot Signature Version 4 signing").
  if (nowMs - signedAt > MAX_CLOCK_SKEW_MS) {
    throw new InvalidSignatureException(
      `Signature expired: ${amzDate} is now earlier than ${basicIso(nowMs - MAX_CLOCK_SKEW_MS)} (${basicIso(nowMs)} - 5 min.)`,
    );
  }
  if (signedAt - nowMs > MAX_CLOCK_SKEW_MS) {
    throw new InvalidSignatureException(
      `Signature not yet current: ${amzDate} is still later than ${basicIso(nowMs + MAX_CLOCK_SKEW_MS)} (${basicIso(nowMs)} + 5 min.)`,
    );
  }
  const signedHeaders = signedHeadersRaw.split(';');
  for (const required of policy.requiredSignedHeaders ?? COGNITO_SIGNED_HEADERS) {
    if (!signedHeaders.includes(required)) {
      throw new InvalidSignatureException(`${SIGNED_HEADER_NAMES[required] ?? `'${required}'`} must be a 'SignedHeader' in the AWS Authorization.`);
    }
  }
  const payloadHash = sha256(req.body);
  const contentSha = header(req, 'x-amz-content-sha256');
  const canonical = canonicalRequest(req, signedHeaders, contentSha ?? payloadHash);
  if (contentSha !== undefined && contentSha !== 'UNSIGNED-PAYLOAD' && contentSha !== payloadHash) {
    throw new InvalidSignatureException('The provided x-amz-content-sha256 header does not match what was computed.');
  }
  const scope = { date, region, service };
  const expected = signature(creds.secretAccessKey, scope, stringToSign(amzDate, scope, canonical));
  if (!safeEqual(expected, provided)) {
    throw new InvalidSignatureException(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    );
  }
  return accessKeyId;
}
