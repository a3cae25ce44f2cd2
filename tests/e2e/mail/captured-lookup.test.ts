// The captured-mail routes through the real server (issue 13 #11, #19): every query key and path
// parameter is checked by a route schema and refused as {error, field, message} — a repeated key
// used to reach SQL as an array (500) — a `+` in ?to= is a plus, not a space, the lookup ignores
// case, and each entry names the pool that sent it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from '../../helpers/server.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
  await srv.publicClient.send(new SignUpCommand({ ClientId: srv.demo.clientId, Username: 'hanako+test@example.jp', Password: 'Passw0rd!' }));
});
afterAll(async () => {
  await srv?.close();
});

async function get(path: string) {
  const res = await fetch(srv.url + path, { headers: { authorization: srv.basicAuth() } });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), text, json: JSON.parse(text || 'null') as any };
}

function expectRefusal(r: Awaited<ReturnType<typeof get>>, field: string): void {
  expect(r.status).toBe(400);
  expect(r.json.error).toBe('InvalidParameter');
  expect(r.json.field).toBe(field);
  expect(typeof r.json.message).toBe('string');
  expect(Object.keys(r.json).sort()).toEqual(['error', 'field', 'message']);
}

describe('GET /_todoku/mail: the lookup', () => {
  it('finds hanako+test@ typed with a literal + (curl, a browser bar), and names the pool', async () => {
    const r = await get('/_todoku/mail?to=hanako+test@example.jp');
    expect(r.status).toBe(200);
    expect(r.json).toHaveLength(1);
    expect(r.json[0]).toMatchObject({ to: 'hanako+test@example.jp', poolId: srv.demo.poolId });
    // Percent-encoded (--data-urlencode, encodeURIComponent) it is the same address.
    expect((await get('/_todoku/mail?to=hanako%2Btest%40example.jp')).json).toHaveLength(1);
  });

  it('ignores case in the domain and the local part', async () => {
    expect((await get('/_todoku/mail?to=hanako%2Btest@EXAMPLE.JP')).json).toHaveLength(1);
    expect((await get('/_todoku/mail?to=Hanako%2BTest@Example.jp')).json).toHaveLength(1);
    expect((await get('/_todoku/mail?to=other@example.jp')).json).toEqual([]);
  });
});

describe('operator route schemas', () => {
  it('a repeated ?to= is refused naming to, not a 500', async () => {
    expectRefusal(await get('/_todoku/mail?to=a@x.jp&to=b@x.jp'), 'to');
  });

  it('wrong types, unknown keys, control characters and over-long values are refused by name', async () => {
    expectRefusal(await get('/_todoku/mail?limit=abc'), 'limit');
    expectRefusal(await get('/_todoku/mail?limit=0'), 'limit');
    expectRefusal(await get('/_todoku/mail?limit=1&limit=2'), 'limit');
    expectRefusal(await get('/_todoku/mail?too=a@x.jp'), 'too');
    expectRefusal(await get('/_todoku/mail?to=%00'), 'to');
    expectRefusal(await get(`/_todoku/mail?to=${'a'.repeat(400)}@x.jp`), 'to');
    expectRefusal(await get('/_todoku/api/domains/x.example.jp/records?format=zone&format=json'), 'format');
    expectRefusal(await get(`/_todoku/api/domains/${'a'.repeat(300)}.jp`), 'domain');
    expectRefusal(await get('/_todoku/api/mail/00000000-0000-0000-0000-000000000000?x=1'), 'x');
  });

  it('an unknown field in POST /_todoku/api/domains is refused, not silently dropped', async () => {
    const res = await fetch(srv.url + '/_todoku/api/domains', {
      method: 'POST',
      headers: { authorization: srv.basicAuth(), 'content-type': 'application/json' },
      body: JSON.stringify({ domain: 'typo.example.jp', mailfromdomain: null }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'InvalidParameter', field: 'mailfromdomain' });
  });

  it('an unknown .eml is NotFound in the operator shape', async () => {
    const r = await get('/_todoku/mail/00000000-0000-0000-0000-000000000000.eml');
    expect(r.status).toBe(404);
    expect(r.json).toMatchObject({ error: 'NotFound', field: 'id' });
    expect((await get('/_todoku/mail/nope.eml')).json.error).toBe('InvalidParameter');
  });
});
