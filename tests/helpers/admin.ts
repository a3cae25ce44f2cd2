// Shared set-up for the operator user-operation tests (Admin*User*, ListUsers).
import { AdminCreateUserCommand, type AdminCreateUserCommandInput } from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './server.js';

export { createPool, expectError, storedUser, attributesOf, PASSWORD } from './self-service.js';

/** The harness clock stands still, so every call lands in one rate window: lift the limits. */
export function startServer(): ReturnType<typeof startTestServer> {
  return startTestServer({
    env: {
      TODOKU_RATE_USER_CREATION: '0',
      TODOKU_RATE_ACCOUNT_RECOVERY: '0',
      TODOKU_RATE_USER_ACCOUNT: '0',
      TODOKU_RATE_USER_RESOURCE: '0',
      TODOKU_RATE_USER_AUTHENTICATION: '0',
    },
  });
}

/** AdminCreateUser without the invitation. */
export async function adminCreate(srv: TestServer, input: Partial<AdminCreateUserCommandInput> & { Username: string }) {
  const out = await srv.cognito.send(new AdminCreateUserCommand({ UserPoolId: srv.demo.poolId, MessageAction: 'SUPPRESS', ...input }));
  return out.User!;
}

export function attr(user: { Attributes?: { Name?: string; Value?: string }[] | undefined }, name: string): string | undefined {
  return user.Attributes?.find((a) => a.Name === name)?.Value;
}

