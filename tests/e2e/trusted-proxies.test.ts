// Behind a proxy every request comes from the proxy's address: the per-client quotas must key
// on the client the proxy names in X-Forwarded-For — but only when the proxy is one of
// TODOKU_TRUSTED_PROXIES, or anyone could dodge a quota by sending the header (issue 13 #10).
// The server listens on 127.0.0.1; requests leave from 127.0.0.2 (the trusted proxy) or from
// 127.0.0.1 (a client talking to todoku directly).
import http from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';

const PROXY = '127.0.0.2';
const DIRECT = '127.0.0.1';
const LIMIT = 2;

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({
    env: { TODOKU_TRUSTED_PROXIES: `10.0.0.0/8, ${PROXY}/32, ::1`, TODOKU_RATE_USER_AUTHENTICATION: String(LIMIT) },
  });
  // The limiter counts per second of todoku's clock: a still clock puts every request of a
  // test in one window, so a quota cannot look separate just because a second ended.
  srv.clock.freeze();
});
afterAll(async () => {
  await srv?.close();
});
beforeEach(() => {
  srv.clock.advance(60_000);
});

/** InitiateAuth (quota category UserAuthentication) from `localAddress`; the answer's __type or 'ok'. */
function initiateAuthOn(server: TestServer, localAddress: string, forwardedFor?: string): Promise<string> {
  const url = new URL(server.url);
  const body = JSON.stringify({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: server.demo.clientId, AuthParameters: { USERNAME: 'nobody@example.jp', PASSWORD: 'x' } });
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        localAddress,
        method: 'POST',
        path: '/',
        agent: false,
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth',
          ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve(res.statusCode === 200 ? 'ok' : (JSON.parse(text) as { __type: string }).__type));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const initiateAuth = (localAddress: string, forwardedFor?: string) => initiateAuthOn(srv, localAddress, forwardedFor);

async function exhaust(localAddress: string, forwardedFor?: string): Promise<string[]> {
  const answers: string[] = [];
  for (let i = 0; i <= LIMIT; i++) answers.push(await initiateAuth(localAddress, forwardedFor));
  return answers;
}

const UNDER_QUOTA = 'NotAuthorizedException'; // unknown user: the request got past the limiter
const OVER_QUOTA = 'TooManyRequestsException';

describe('TODOKU_TRUSTED_PROXIES', () => {
  it('behind a trusted proxy, two clients named by X-Forwarded-For have quotas of their own', async () => {
    expect(await exhaust(PROXY, '198.51.100.1')).toEqual([UNDER_QUOTA, UNDER_QUOTA, OVER_QUOTA]);
    expect(await initiateAuth(PROXY, '198.51.100.2')).toBe(UNDER_QUOTA);
    expect(await initiateAuth(PROXY, '198.51.100.1')).toBe(OVER_QUOTA);
    // IPv6 clients too.
    expect(await initiateAuth(PROXY, '2001:db8::7')).toBe(UNDER_QUOTA);
  });

  it('the client is the right-most address the trusted proxies did not add: a forged prefix changes nothing', async () => {
    expect(await exhaust(PROXY, '192.0.2.1, 198.51.100.9')).toEqual([UNDER_QUOTA, UNDER_QUOTA, OVER_QUOTA]);
    expect(await initiateAuth(PROXY, '192.0.2.2, 198.51.100.9')).toBe(OVER_QUOTA);
    // A chain of trusted proxies (10.1.2.3 is in 10.0.0.0/8) is walked past.
    expect(await initiateAuth(PROXY, '198.51.100.9, 10.1.2.3')).toBe(OVER_QUOTA);
  });

  it('from a peer that is not a trusted proxy, X-Forwarded-For is ignored: a spoofed header cannot dodge the quota', async () => {
    expect(await exhaust(DIRECT, '198.51.100.3')).toEqual([UNDER_QUOTA, UNDER_QUOTA, OVER_QUOTA]);
    expect(await initiateAuth(DIRECT, '198.51.100.4')).toBe(OVER_QUOTA);
    expect(await initiateAuth(DIRECT)).toBe(OVER_QUOTA);
    // …and the direct client's quota is its own, not the proxy's.
    expect(await initiateAuth(PROXY)).toBe(UNDER_QUOTA);
  });
});

describe('without TODOKU_TRUSTED_PROXIES', () => {
  it('X-Forwarded-For is ignored', async () => {
    const plain = await startTestServer({ env: { TODOKU_RATE_USER_AUTHENTICATION: String(LIMIT) } });
    try {
      plain.clock.freeze();
      const call = (xff: string) => initiateAuthOn(plain, PROXY, xff);
      expect([await call('198.51.100.5'), await call('198.51.100.6'), await call('198.51.100.7')]).toEqual([UNDER_QUOTA, UNDER_QUOTA, OVER_QUOTA]);
    } finally {
      await plain.close();
    }
  });
});
