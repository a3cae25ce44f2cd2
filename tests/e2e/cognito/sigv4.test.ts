// Operator operations need a SigV4 signature by the admin credentials; public ones do not.
// Errors are the ones AWS returns before an operation runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CognitoIdentityProviderClient, ListUserPoolsCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../helpers/server.js';
import { expectError, startServer } from '../../helpers/pools.js';

let srv: TestServer;
const clients: CognitoIdentityProviderClient[] = [];
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await srv?.close();
});

function client(credentials: { accessKeyId: string; secretAccessKey: string }): CognitoIdentityProviderClient {
  const c = new CognitoIdentityProviderClient({ endpoint: srv.url, region: srv.region, credentials, maxAttempts: 1 });
  clients.push(c);
  return c;
}

/** A client whose requests leave with the signature headers removed. */
function unsignedClient(): CognitoIdentityProviderClient {
  const c = client(srv.admin);
  type Args = { request: { headers: Record<string, string> } };
  const strip = (next: (args: Args) => Promise<unknown>) => async (args: Args) => {
    for (const h of Object.keys(args.request.headers)) {
      if (['authorization', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256'].includes(h.toLowerCase())) delete args.request.headers[h];
    }
    return next(args);
  };
  c.middlewareStack.addRelativeTo(strip as never, { relation: 'after', toMiddleware: 'httpSigningMiddleware', name: 'stripSignature' });
  return c;
}

async function raw(target: string, body: object, headers: Record<string, string> = {}) {
  const res = await fetch(srv.url + '/', {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${target}`, ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as { __type?: string; message?: string } };
}

describe('SigV4 on operator operations', () => {
  it('answers an unsigned call with MissingAuthenticationTokenException (403)', async () => {
    const r = await raw('ListUserPools', { MaxResults: 1 });
    expect(r.status).toBe(403);
    expect(r.json.__type).toBe('MissingAuthenticationTokenException');
    const err = await expectError(unsignedClient().send(new ListUserPoolsCommand({ MaxResults: 1 })), 'MissingAuthenticationTokenException');
    expect(err.$metadata?.httpStatusCode).toBe(403);
  });

  it('answers a wrong secret with InvalidSignatureException', async () => {
    const err = await expectError(
      client({ accessKeyId: srv.admin.accessKeyId, secretAccessKey: srv.admin.secretAccessKey + 'x' }).send(new ListUserPoolsCommand({ MaxResults: 1 })),
      'InvalidSignatureException',
    );
    expect(err.message).toContain('signature');
  });

  it('answers an unknown access key id with UnrecognizedClientException', async () => {
    await expectError(srv.publicClient.send(new ListUserPoolsCommand({ MaxResults: 1 })), 'UnrecognizedClientException');
  });

  it('answers a malformed Authorization header with IncompleteSignatureException', async () => {
    const r = await raw('ListUserPools', { MaxResults: 1 }, { authorization: 'AWS4-HMAC-SHA256 nonsense' });
    expect(r.json.__type).toBe('IncompleteSignatureException');
  });

  it('accepts the admin signature', async () => {
    const out = await srv.cognito.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    expect(out.UserPools!.map((p) => p.Id)).toContain(srv.demo.poolId);
  });
});

describe('public operations', () => {
  it('work without a signature and with credentials todoku does not know', async () => {
    const unsigned = await raw('SignUp', { ClientId: srv.demo.clientId, Username: 'raw@example.jp', Password: 'Passw0rd!' });
    expect(unsigned.status).toBe(200);
    const stripped = await unsignedClient().send(new SignUpCommand({ ClientId: srv.demo.clientId, Username: 'stripped@example.jp', Password: 'Passw0rd!' }));
    expect(stripped.UserSub).toBeTruthy();
    const foreign = await srv.publicClient.send(new SignUpCommand({ ClientId: srv.demo.clientId, Username: 'foreign@example.jp', Password: 'Passw0rd!' }));
    expect(foreign.UserSub).toBeTruthy();
  });
});
