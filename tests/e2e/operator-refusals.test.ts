// The operator API (/_todoku/…) answers in its own shape, {error, field?, message}, whatever
// refuses the request — the route, the body parser, the body limit, the router or the auth
// check — and a POST that needs no body may come with `content-type: application/json` and an
// empty one, as curl and HTTP libraries send it (issue 13 #20). POST / keeps Cognito's shape.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { startDnsServer, type DnsServer } from '../helpers/dns-server.js';

let dns: DnsServer;
let srv: TestServer;
beforeAll(async () => {
  dns = await startDnsServer();
  srv = await startTestServer({ env: { TODOKU_BODY_LIMIT_BYTES: '1024', TODOKU_DNS_SERVERS: dns.server, TODOKU_SENDING_IPS: '192.0.2.10', TODOKU_HELO_NAME: 'mx.todoku.test' } });
});
afterAll(async () => {
  await srv?.close();
  await dns?.close();
});

async function operator(method: string, path: string, init: { body?: string; contentType?: string; auth?: string | null } = {}) {
  const headers: Record<string, string> = {};
  if (init.auth !== null) headers.authorization = init.auth ?? srv.basicAuth();
  if (init.contentType !== undefined) headers['content-type'] = init.contentType;
  const res = await fetch(srv.url + path, { method, headers, ...(init.body !== undefined ? { body: init.body } : {}) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: (text ? JSON.parse(text) : undefined) as Record<string, unknown> };
}

/** The operator shape: error and message strings, perhaps field — nothing of Cognito's or Fastify's. */
function expectRefusal(r: Awaited<ReturnType<typeof operator>>, status: number, error: string): void {
  expect(r.status).toBe(status);
  expect(r.headers.get('content-type')).toMatch(/^application\/json/);
  expect(r.headers.get('x-amzn-errortype')).toBeNull();
  expect(r.json.error).toBe(error);
  expect(typeof r.json.message).toBe('string');
  expect(Object.keys(r.json).filter((k) => !['error', 'field', 'message'].includes(k))).toEqual([]);
  expect(r.text).not.toMatch(/at .*\.js:\d+/);
}

describe('operator API: an empty JSON body where the route needs none', () => {
  it('POST …/signing-keys/rotate with content-type application/json and no body rotates', async () => {
    const r = await operator('POST', '/_todoku/api/signing-keys/rotate', { contentType: 'application/json', body: '' });
    expect(r.status).toBe(201);
    expect(typeof r.json.kid).toBe('string');
  });

  it('POST …/domains/<d>/verify with content-type application/json and no body verifies', async () => {
    const added = await operator('POST', '/_todoku/api/domains', { contentType: 'application/json', body: JSON.stringify({ domain: 'empty-body.example.jp' }) });
    expect(added.status).toBe(201);
    const r = await operator('POST', '/_todoku/api/domains/empty-body.example.jp/verify', { contentType: 'application/json; charset=utf-8', body: '' });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ domain: 'empty-body.example.jp', verified: false });
  });

  it('a route that needs a body names the missing field', async () => {
    const r = await operator('POST', '/_todoku/api/domains', { contentType: 'application/json', body: '' });
    expectRefusal(r, 400, 'InvalidParameter');
    expect(r.json.field).toBe('domain');
  });
});

describe('operator API: every refusal is {error, field?, message}', () => {
  it('bad JSON', async () => {
    const r = await operator('POST', '/_todoku/api/domains', { contentType: 'application/json', body: '{"domain": ' });
    expectRefusal(r, 400, 'InvalidParameter');
    expect(r.json.field).toBe('body');
    expect(r.json.message).toMatch(/JSON/);
  });

  it('a content type it does not read', async () => {
    const r = await operator('POST', '/_todoku/api/domains', { contentType: 'application/xml', body: '<domain>x.example.jp</domain>' });
    expectRefusal(r, 415, 'UnsupportedMediaType');
    expect(r.json.message).toContain('application/json');
  });

  it('a body over TODOKU_BODY_LIMIT_BYTES', async () => {
    const r = await operator('POST', '/_todoku/api/domains', { contentType: 'application/json', body: JSON.stringify({ domain: 'big.example.jp', pad: 'x'.repeat(2000) }) });
    expectRefusal(r, 413, 'PayloadTooLarge');
    expect(r.json.message).toContain('1024');
  });

  it('a path or method that does not exist', async () => {
    expectRefusal(await operator('GET', '/_todoku/api/nothing'), 404, 'NotFound');
    expectRefusal(await operator('PUT', '/_todoku/api/signing-keys/rotate', { contentType: 'application/json', body: '{}' }), 404, 'NotFound');
    expectRefusal(await operator('GET', '/_todoku/api/domains/unknown.example.jp'), 404, 'NotFound');
  });

  it('no or wrong credentials', async () => {
    const none = await operator('POST', '/_todoku/api/signing-keys/rotate', { auth: null });
    expectRefusal(none, 401, 'Unauthorized');
    expect(none.headers.get('www-authenticate')).toMatch(/^Basic /);
    const wrong = 'Basic ' + Buffer.from(`${srv.admin.accessKeyId}:wrong`).toString('base64');
    expectRefusal(await operator('GET', '/_todoku/api/domains', { auth: wrong }), 401, 'Unauthorized');
  });
});

describe('POST / keeps the Cognito shape', () => {
  it('application/json bad JSON and empty bodies are SerializationException', async () => {
    for (const body of ['{"ClientId": ', '']) {
      const res = await fetch(srv.url + '/', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-amz-target': 'AWSCognitoIdentityProviderService.SignUp' },
        body,
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('x-amzn-errortype')).toBe('SerializationException:');
      expect(((await res.json()) as { __type: string }).__type).toBe('SerializationException');
    }
  });

  it('a body over the limit is SerializationException (413)', async () => {
    const res = await fetch(srv.url + '/', {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.SignUp' },
      body: JSON.stringify({ pad: 'x'.repeat(2000) }),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { __type: string }).__type).toBe('SerializationException');
  });
});
