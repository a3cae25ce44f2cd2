// The wire protocol around every operation: content types, targets, bad JSON, body
// limits, CORS, error headers — with raw HTTP, as a misbehaving client would send it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { PREPUBLISH_MS } from '../../../src/tokens/keyring.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({ env: { TODOKU_BODY_LIMIT_BYTES: '4096' } });
});
afterAll(async () => {
  await srv?.close();
});

async function call(target: string | undefined, body: string, contentType = 'application/x-amz-json-1.1') {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (target !== undefined) headers['x-amz-target'] = target;
  const res = await fetch(srv.url + '/', { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text, json: JSON.parse(text) as { __type: string; message: string } };
}

describe('Cognito JSON protocol', () => {
  it('answers malformed JSON with SerializationException and AWS error headers', async () => {
    const r = await call('AWSCognitoIdentityProviderService.SignUp', '{"ClientId": ');
    expect(r.status).toBe(400);
    expect(r.json.__type).toBe('SerializationException');
    expect(r.headers.get('x-amzn-errortype')).toBe('SerializationException:');
    expect(r.headers.get('x-amzn-errormessage')).toMatch(/not valid JSON/);
    expect(r.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('refuses a body that is not an object', async () => {
    const r = await call('AWSCognitoIdentityProviderService.SignUp', '[1,2]');
    expect(r.json.__type).toBe('SerializationException');
  });

  it('refuses a wrong content type, naming it', async () => {
    const r = await call('AWSCognitoIdentityProviderService.SignUp', '{}', 'text/plain');
    expect(r.status).toBe(400);
    expect(r.json.__type).toBe('SerializationException');
    expect(r.json.message).toContain('text/plain');
  });

  it('names a missing, unknown or unimplemented target', async () => {
    expect((await call(undefined, '{}')).json.__type).toBe('UnknownOperationException');
    const unknown = await call('AWSCognitoIdentityProviderService.MakeCoffee', '{}');
    expect(unknown.json.__type).toBe('UnknownOperationException');
    expect(unknown.json.message).toContain('MakeCoffee');
    const unimplemented = await call('AWSCognitoIdentityProviderService.AdminLinkProviderForUser', '{}');
    expect(unimplemented.status).toBe(400);
    expect(unimplemented.json.__type).toBe('UnsupportedOperationException');
    expect(unimplemented.json.message).toContain('AdminLinkProviderForUser');
  });

  it('names missing and mistyped fields with InvalidParameterException', async () => {
    const missing = await call('AWSCognitoIdentityProviderService.SignUp', JSON.stringify({ Username: 'a@example.jp', Password: 'x' }));
    expect(missing.json.__type).toBe('InvalidParameterException');
    expect(missing.json.message).toContain("'ClientId'");
    const mistyped = await call('AWSCognitoIdentityProviderService.SignUp', JSON.stringify({ ClientId: srv.demo.clientId, Username: 42, Password: 'x' }));
    expect(mistyped.json.__type).toBe('InvalidParameterException');
    expect(mistyped.json.message).toContain("'Username'");
    const long = await call('AWSCognitoIdentityProviderService.SignUp', JSON.stringify({ ClientId: srv.demo.clientId, Username: 'a'.repeat(129), Password: 'x' }));
    expect(long.json.message).toContain('less than or equal to 128');
  });

  it('refuses an oversized body without a stack trace and writes nothing', async () => {
    const before = await srv.store.pools.countUsers(srv.demo.poolId);
    const body = JSON.stringify({ ClientId: srv.demo.clientId, Username: 'big@example.jp', Password: 'Passw0rd!', pad: 'x'.repeat(5000) });
    const r = await call('AWSCognitoIdentityProviderService.SignUp', body);
    expect(r.status).toBe(413);
    expect(r.json.__type).toBe('SerializationException');
    expect(r.body).not.toMatch(/at .*\.js:\d+/);
    expect(await srv.store.pools.countUsers(srv.demo.poolId)).toBe(before);
  });

  it('answers CORS preflight as AWS does', async () => {
    const res = await fetch(srv.url + '/', {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.jp', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-amz-target' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')).toBe('content-type,x-amz-target');
  });

  it('reports health', async () => {
    const res = await fetch(srv.url + '/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('keeps captured mail behind Basic auth', async () => {
    expect((await fetch(`${srv.url}/_todoku/mail`)).status).toBe(401);
    const wrong = 'Basic ' + Buffer.from(`${srv.admin.accessKeyId}:wrong`).toString('base64');
    expect((await fetch(`${srv.url}/_todoku/mail`, { headers: { authorization: wrong } })).status).toBe(401);
    expect((await fetch(`${srv.url}/_todoku/mail`, { headers: { authorization: srv.basicAuth() } })).status).toBe(200);
  });
});

describe('signing keys (operator API)', () => {
  it('lists keys without key material and rotates with pre-publication', async () => {
    const auth = { authorization: srv.basicAuth() };
    expect((await fetch(`${srv.url}/_todoku/api/signing-keys`)).status).toBe(401);
    const before = (await (await fetch(`${srv.url}/_todoku/api/signing-keys`, { headers: auth })).json()) as { keys: { kid: string; signing: boolean }[] };
    expect(before.keys).toHaveLength(1);
    expect(JSON.stringify(before)).not.toMatch(/PRIVATE|"d":/);
    const rotated = (await (await fetch(`${srv.url}/_todoku/api/signing-keys/rotate`, { method: 'POST', headers: auth })).json()) as {
      kid: string;
      signsFrom: string;
      keys: { kid: string; signing: boolean; createdAt: string }[];
    };
    // Published now, signing later: the old key still signs.
    expect(rotated.keys.find((k) => k.kid === rotated.kid)!.signing).toBe(false);
    expect(Date.parse(rotated.signsFrom) - Date.parse(rotated.keys.find((k) => k.kid === rotated.kid)!.createdAt)).toBe(PREPUBLISH_MS);
    const jwks = (await (await fetch(`${srv.url}/${srv.demo.poolId}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toContain(rotated.kid);
    expect(jwks.keys).toHaveLength(2);
  });
});
