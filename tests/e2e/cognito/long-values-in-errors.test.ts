// Issue 13 #5: a validation message quoted the refused value whole, and the edge copied the
// message into x-amzn-ErrorMessage: `InitiateAuth {"AuthFlow": "A"×200000}` answered with a
// 200 KB header and the AWS SDK failed with "Header overflow" instead of the
// InvalidParameterException the caller needs to see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminCreateUserCommand, CreateUserPoolCommand, InitiateAuthCommand, type AuthFlowType } from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../helpers/server.js';
import { expectError, startServer } from '../../helpers/self-service.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer({ TODOKU_RATE_USER_POOL_RESOURCE: '0' });
});
afterAll(async () => {
  await srv?.close();
});

const HUGE = 'A'.repeat(200_000);

describe('a huge value in an enum field', () => {
  it('InitiateAuth AuthFlow: the SDK gets InvalidParameterException, the value cut', async () => {
    const err = await srv.publicClient
      .send(new InitiateAuthCommand({ ClientId: srv.demo.clientId, AuthFlow: HUGE as AuthFlowType, AuthParameters: { USERNAME: 'a@example.jp' } }))
      .then(
        () => undefined,
        (e: Error) => e,
      );
    expect(err?.name, err?.message).toBe('InvalidParameterException');
    expect(err!.message).toMatch(/^1 validation error detected: Value 'A+\.\.\.' at 'AuthFlow' failed to satisfy constraint: Member must satisfy enum value set/);
    expect(err!.message.length).toBeLessThan(1000);
  });

  it('the header stays small whatever the message (here one that quotes an 8 KB X-Amz-Target)', async () => {
    const res = await fetch(srv.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${'B'.repeat(8000)}` },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('UnknownOperationException:');
    expect(res.headers.get('x-amzn-errormessage')!.length).toBeLessThanOrEqual(1024);
  });

  it('settings enums (CreateUserPool DeletionProtection) and AdminCreateUser MessageAction', async () => {
    await expectError(
      srv.cognito.send(new CreateUserPoolCommand({ PoolName: 'p', DeletionProtection: HUGE as 'ACTIVE' })),
      'InvalidParameterException',
      /Value 'A+\.\.\.' at 'DeletionProtection'/,
    );
    await expectError(
      srv.cognito.send(new AdminCreateUserCommand({ UserPoolId: srv.demo.poolId, Username: 'a@example.jp', MessageAction: HUGE as 'SUPPRESS' })),
      'InvalidParameterException',
      /Value 'A+\.\.\.' at 'MessageAction'/,
    );
  });
});
