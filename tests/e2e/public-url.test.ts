// The URL tokens and discovery name as issuer belongs to the running server: with
// TODOKU_PORT=0 it is the port the listener picked (the frozen config still says :0);
// with TODOKU_PUBLIC_URL it is that URL, whatever the port.
import { afterEach, describe, expect, it } from 'vitest';
import { GetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { confirmedUser, passwordSignIn } from '../helpers/sign-in.js';

const running: TestServer[] = [];
afterEach(async () => {
  while (running.length > 0) await running.pop()!.close();
});

function claims(jwt: string): { iss: string } {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as { iss: string };
}

async function issuers(srv: TestServer) {
  await confirmedUser(srv, 'hanako@example.jp');
  const tokens = await passwordSignIn(srv, 'hanako@example.jp');
  // The server accepts its own access token: verification checks the same issuer.
  const me = await srv.publicClient.send(new GetUserCommand({ AccessToken: tokens.AccessToken! }));
  expect(me.Username).toBeDefined();
  const res = await fetch(`${srv.url}/${srv.demo.poolId}/.well-known/openid-configuration`);
  const discovery = (await res.json()) as { issuer: string; jwks_uri: string };
  return { id: claims(tokens.IdToken!).iss, access: claims(tokens.AccessToken!).iss, discovery: discovery.issuer, jwks: discovery.jwks_uri };
}

describe('public URL', () => {
  it('with TODOKU_PORT=0, tokens and discovery name the port the server listens on', async () => {
    const srv = await startTestServer();
    running.push(srv);
    expect(srv.deps.config.publicUrl).toBe('http://localhost:0');
    expect(srv.server.publicUrl).toBe(srv.url);
    const issuer = `${srv.url}/${srv.demo.poolId}`;
    expect(await issuers(srv)).toEqual({ id: issuer, access: issuer, discovery: issuer, jwks: `${issuer}/.well-known/jwks.json` });
  });

  it('with TODOKU_PUBLIC_URL, that URL is the issuer whatever port was picked', async () => {
    const srv = await startTestServer({ env: { TODOKU_PUBLIC_URL: 'https://auth.example.jp/' } });
    running.push(srv);
    expect(srv.server.publicUrl).toBe('https://auth.example.jp');
    const issuer = `https://auth.example.jp/${srv.demo.poolId}`;
    expect(await issuers(srv)).toEqual({ id: issuer, access: issuer, discovery: issuer, jwks: `${issuer}/.well-known/jwks.json` });
  });
});
