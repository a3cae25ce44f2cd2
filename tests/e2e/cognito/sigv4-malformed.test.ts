// A malformed request line must not turn signature checking into an internal error: a
// query string with a broken percent escape is an invalid signature (400), not a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../helpers/server.js';
import { startServer } from '../../helpers/pools.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});

describe('SigV4 with a malformed query string', () => {
  it('answers InvalidSignatureException, not InternalErrorException', async () => {
    const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const res = await fetch(srv.url + '/?a=%E0%A4%A', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.ListUserPools',
        'x-amz-date': amzDate,
        // Every header Cognito requires signed, so that the check reaches the query string.
        authorization: `AWS4-HMAC-SHA256 Credential=${srv.admin.accessKeyId}/${amzDate.slice(0, 8)}/${srv.region}/cognito-idp/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=${'0'.repeat(64)}`,
      },
      body: JSON.stringify({ MaxResults: 1 }),
    });
    const body = (await res.json()) as { __type: string; message: string };
    expect(res.status).toBe(400);
    expect(body.__type).toBe('InvalidSignatureException');
    expect(body.message).toBe('The request URI has a malformed percent-encoding.');
  });
});
