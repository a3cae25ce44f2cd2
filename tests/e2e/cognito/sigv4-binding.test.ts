// A signature must bind what the call does: the operation (X-Amz-Target) and how the body is read
// (Content-Type) are signed, the credential scope names this server's region and cognito-idp.
// Requests here are signed by hand, over node:http, with the canonical request spelled out in
// this file (SigV4 as documented: https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html),
// so neither side borrows the verifier's code; the AWS SDK's own signer is checked to keep working.
import { createHash, createHmac } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CognitoIdentityProviderClient, CreateUserPoolCommand, DescribeUserPoolCommand, ListUserPoolsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { expectError, startServer } from '../../helpers/pools.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});

const TARGET = 'AWSCognitoIdentityProviderService.';
const JSON_11 = 'application/x-amz-json-1.1';

interface HandSigned {
  /** The operation named in the signed canonical request. */
  signedTarget: string;
  /** The operation sent, when an attacker swaps it after signing. */
  sentTarget?: string;
  body: object;
  /** Names, lower case, in SignedHeaders order (sorted). */
  signedHeaders: string[];
  region?: string;
  service?: string;
  /** The signing time; now by default. */
  signedAt?: Date;
  /** Sign with a `Date` header (RFC 7231 IMF-fixdate) instead of X-Amz-Date. */
  useDateHeader?: boolean;
  /** More headers; an array value is sent as that many header lines. */
  extra?: Record<string, string | string[]>;
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: Buffer | string, s: string) => createHmac('sha256', key).update(s, 'utf8').digest();

/** Signs and sends; answers status and the parsed JSON body. */
async function send(o: HandSigned): Promise<{ status: number; json: { __type?: string; message?: string } }> {
  const now = o.signedAt ?? new Date();
  const amzDate = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const region = o.region ?? srv.region;
  const service = o.service ?? 'cognito-idp';
  const body = JSON.stringify(o.body);
  const host = new URL(srv.url).host;
  const values: Record<string, string | string[]> = {
    host,
    'content-type': JSON_11,
    'x-amz-target': TARGET + o.signedTarget,
    ...(o.useDateHeader ? { date: now.toUTCString() } : { 'x-amz-date': amzDate }),
    ...o.extra,
  };
  // Canonical headers: a repeated header's values joined with "," (AWS's get-header-key-duplicate).
  const canonicalHeaders = o.signedHeaders.map((n) => `${n}:${([] as string[]).concat(values[n]!).join(',')}\n`).join('');
  const canonical = ['POST', '/', '', canonicalHeaders, o.signedHeaders.join(';'), sha256(body)].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac('AWS4' + srv.admin.secretAccessKey, day), region), service), 'aws4_request');
  const signature = createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
  const headers = {
    ...values,
    'x-amz-target': TARGET + (o.sentTarget ?? o.signedTarget),
    authorization: `AWS4-HMAC-SHA256 Credential=${srv.admin.accessKeyId}/${scope}, SignedHeaders=${o.signedHeaders.join(';')}, Signature=${signature}`,
  };
  const url = new URL(srv.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method: 'POST', path: '/', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(text) as { __type?: string; message?: string } }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const ALL = ['content-type', 'host', 'x-amz-date', 'x-amz-target'];

describe('SigV4 binds the operation', () => {
  it('a correctly hand-signed call is accepted (the helper signs as AWS does)', async () => {
    const r = await send({ signedTarget: 'ListUserPools', body: { MaxResults: 1 }, signedHeaders: ALL });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
  });

  it('refuses a call whose X-Amz-Target is not signed, and the swapped operation does not run', async () => {
    const { UserPool } = await srv.cognito.send(new CreateUserPoolCommand({ PoolName: 'kept' }));
    const r = await send({
      signedTarget: 'DescribeUserPool',
      sentTarget: 'DeleteUserPool',
      body: { UserPoolId: UserPool!.Id },
      signedHeaders: ['host', 'x-amz-date'],
    });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ __type: 'InvalidSignatureException', message: "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization." });
    const still = await srv.cognito.send(new DescribeUserPoolCommand({ UserPoolId: UserPool!.Id }));
    expect(still.UserPool!.Name).toBe('kept');
  });

  it('refuses a call whose Content-Type is not signed', async () => {
    const r = await send({ signedTarget: 'ListUserPools', body: { MaxResults: 1 }, signedHeaders: ['host', 'x-amz-date', 'x-amz-target'] });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ __type: 'InvalidSignatureException', message: "'Content-Type' must be a 'SignedHeader' in the AWS Authorization." });
  });

  it('refuses a call whose Host is not signed, in AWS\'s words', async () => {
    const r = await send({ signedTarget: 'ListUserPools', body: { MaxResults: 1 }, signedHeaders: ['content-type', 'x-amz-date', 'x-amz-target'] });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ __type: 'InvalidSignatureException', message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization." });
  });
});

describe('SigV4 credential scope', () => {
  it.each(['us-east-1', 'xx-nowhere-9'])('refuses a signature scoped to region %s (this server is TODOKU_REGION)', async (region) => {
    expect(region).not.toBe(srv.region);
    const r = await send({ signedTarget: 'ListUserPools', body: { MaxResults: 1 }, signedHeaders: ALL, region });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ __type: 'InvalidSignatureException', message: `Credential should be scoped to a valid region, not '${region}'.` });
  });

  it('the region is TODOKU_REGION: an SDK configured for it works, one for the default region is refused', async () => {
    const other = await startTestServer({ env: { TODOKU_REGION: 'eu-central-1' } });
    const sdk = (region: string) => new CognitoIdentityProviderClient({ endpoint: other.url, region, credentials: other.admin, maxAttempts: 1 });
    const right = sdk('eu-central-1');
    const wrong = sdk('ap-northeast-1');
    try {
      expect(other.region).toBe('eu-central-1');
      expect((await right.send(new ListUserPoolsCommand({ MaxResults: 1 }))).UserPools).toHaveLength(1);
      const err = await expectError(wrong.send(new ListUserPoolsCommand({ MaxResults: 1 })), 'InvalidSignatureException');
      expect(err.message).toBe("Credential should be scoped to a valid region, not 'ap-northeast-1'.");
    } finally {
      right.destroy();
      wrong.destroy();
      await other.close();
    }
  });

  it('refuses a signature scoped to another service, in AWS\'s words', async () => {
    const r = await send({ signedTarget: 'ListUserPools', body: { MaxResults: 1 }, signedHeaders: ALL, service: 'cognito-identity' });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ __type: 'InvalidSignatureException', message: "Credential should be scoped to correct service: 'cognito-idp'." });
  });
});

describe('SigV4 signing time', () => {
  const basic = String.raw`\d{8}T\d{6}Z`;
  it('refuses a signature more than 5 minutes old, in AWS\'s words', async () => {
    const r = await send({ signedTarget: 'ListUserPools', body: { MaxResults: 1 }, signedHeaders: ALL, signedAt: new Date(Date.now() - 6 * 60_000) });
    expect(r.json.__type).toBe('InvalidSignatureException');
    expect(r.json.message).toMatch(new RegExp(`^Signature expired: ${basic} is now earlier than ${basic} \\(${basic} - 5 min\\.\\)$`));
  });

  it('refuses a signature more than 5 minutes ahead, in AWS\'s words', async () => {
    const r = await send({ signedTarget: 'ListUserPools', body: { MaxResults: 1 }, signedHeaders: ALL, signedAt: new Date(Date.now() + 6 * 60_000) });
    expect(r.json.__type).toBe('InvalidSignatureException');
    expect(r.json.message).toMatch(new RegExp(`^Signature not yet current: ${basic} is still later than ${basic} \\(${basic} \\+ 5 min\\.\\)$`));
  });
});

describe('SigV4 header forms AWS accepts', () => {
  it('accepts a Date header in place of X-Amz-Date, as the missing-date message says', async () => {
    const r = await send({ signedTarget: 'ListUserPools', body: { MaxResults: 1 }, signedHeaders: ['content-type', 'date', 'host', 'x-amz-target'], useDateHeader: true });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
  });

  it('accepts a repeated signed header, its values joined with "," as signed', async () => {
    const r = await send({
      signedTarget: 'ListUserPools',
      body: { MaxResults: 1 },
      signedHeaders: ['content-type', 'host', 'my-header1', 'x-amz-date', 'x-amz-target'],
      extra: { 'my-header1': ['value2', 'value1'] },
    });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
  });

  it('the AWS SDK still signs what is required', async () => {
    const out = await srv.cognito.send(new ListUserPoolsCommand({ MaxResults: 1 }));
    expect(out.UserPools).toHaveLength(1);
  });
});
