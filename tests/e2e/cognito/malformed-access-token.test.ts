// A token whose header or payload decodes to JSON that is not an object (null, a number)
// is an invalid token (NotAuthorizedException), not an internal error.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { GetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../helpers/server.js';
import { expectError, startServer } from '../../helpers/sign-in.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});

const part = (json: string) => Buffer.from(json).toString('base64url');

describe('a malformed access token', () => {
  it('is refused as invalid whatever JSON its parts hold', async () => {
    for (const header of ['null', '1', '"x"']) {
      const token = `${part(header)}.${part('{}')}.AAAA`;
      await expectError(srv.publicClient.send(new GetUserCommand({ AccessToken: token })), 'NotAuthorizedException', 'Invalid Access Token');
    }
  });
});
