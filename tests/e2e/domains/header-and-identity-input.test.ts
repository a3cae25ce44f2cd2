// Issue 13 #9: a From with CR/LF in its display name was accepted, and an IP address became a
// sending identity. Both are refused with the field named.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { expectError } from '../../helpers/self-service.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  await srv?.close();
});

describe('header and identity input', () => {
  it('refuses control characters in EmailConfiguration.From', async () => {
    for (const From of ['Evil\r\nBcc: victim@example.com <no-reply@example.jp>', 'A\tB <no-reply@example.jp>', 'no-reply@example.jp\n']) {
      await expectError(
        srv.cognito.send(new CreateUserPoolCommand({ PoolName: 'from', EmailConfiguration: { From } })),
        'InvalidParameterException',
        /EmailConfiguration\.From/,
      );
    }
  });

  it('refuses an IP address as a sending identity, with {error, field, message}', async () => {
    for (const domain of ['127.0.0.1', '[127.0.0.1]', '203.0.113.5', '::1']) {
      const res = await fetch(`${srv.url}/_todoku/api/domains`, {
        method: 'POST',
        headers: { authorization: srv.basicAuth(), 'content-type': 'application/json' },
        body: JSON.stringify({ domain }),
      });
      expect(res.status, domain).toBe(400);
      const body = (await res.json()) as { error: string; field: string; message: string };
      expect(body).toMatchObject({ error: 'InvalidParameter', field: 'domain' });
      expect(body.message).toMatch(/IP address|not a domain name/);
    }
  });
});
