// Issue 13 #22: the masked destination split a surrogate pair ("\ud83c***@e***" for
// 🍣@example.jp), and a field of the wrong JSON type was reported as "Value null at 'Username'".
// The type sent is named in Coral's words ("NUMBER_VALUE can not be converted to a String",
// "Start of structure or map found where not expected."), with the member's name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListUsersCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../helpers/server.js';
import { PASSWORD, startServer } from '../../helpers/self-service.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});

async function raw(target: string, body: unknown): Promise<{ status: number; json: { __type: string; message: string } }> {
  const res = await fetch(srv.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${target}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as { __type: string; message: string } };
}

describe('CodeDeliveryDetails.Destination', () => {
  it('masks by code points: 🍣@example.jp → 🍣***@e***', async () => {
    const out = await srv.publicClient.send(new SignUpCommand({ ClientId: srv.demo.clientId, Username: '🍣@example.jp', Password: PASSWORD }));
    expect(out.CodeDeliveryDetails?.Destination).toBe('🍣***@e***');
  });
});

describe('a field of the wrong JSON type', () => {
  it('names the type sent, in AWS words', async () => {
    const cases: [unknown, string][] = [
      [42, 'NUMBER_VALUE can not be converted to a String'],
      [true, 'TRUE_VALUE can not be converted to a String'],
      [{ a: 1 }, 'Start of structure or map found where not expected.'],
      [['x'], 'Start of list found where not expected'],
    ];
    for (const [Username, message] of cases) {
      const { status, json } = await raw('ForgotPassword', { ClientId: srv.demo.clientId, Username });
      expect(status).toBe(400);
      expect(json).toEqual({ __type: 'InvalidParameterException', message: `1 validation error detected: Value at 'Username' failed to satisfy constraint: ${message}` });
    }
  });

  it('a string where a number or a boolean belongs', async () => {
    const err = await srv.cognito.send(new ListUsersCommand({ UserPoolId: srv.demo.poolId, Limit: 'ten' as unknown as number })).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.name).toBe('InvalidParameterException');
    expect(err?.message).toBe("1 validation error detected: Value at 'Limit' failed to satisfy constraint: STRING_VALUE can not be converted to an Integer");
  });

  it('null still reads as absent', async () => {
    const { json } = await raw('ForgotPassword', { ClientId: srv.demo.clientId, Username: null });
    expect(json.__type).toBe('InvalidParameterException');
    expect(json.message).toMatch(/Value null at 'Username' failed to satisfy constraint: Member must not be null/);
  });
});
