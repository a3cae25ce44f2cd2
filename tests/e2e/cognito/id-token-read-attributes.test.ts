// The ID token carries only the attributes its client may read (ReadAttributes), as GetUser
// shows them: an attribute hidden from a client must not reach it inside a token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminUpdateUserAttributesCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../helpers/server.js';
import { confirmedUser, createClient, passwordSignIn, startServer } from '../../helpers/sign-in.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

describe('ID token and ReadAttributes', () => {
  it('leaves out attributes the client may not read', async () => {
    const clientId = await createClient(srv, { ReadAttributes: ['email'] });
    const email = 'idtoken-readable@example.jp';
    await confirmedUser(srv, email);
    await srv.cognito.send(new AdminUpdateUserAttributesCommand({ UserPoolId: srv.demo.poolId, Username: email, UserAttributes: [{ Name: 'name', Value: 'Secret Name' }] }));

    const restricted = claimsOf((await passwordSignIn(srv, email, undefined, clientId)).IdToken!);
    expect(restricted.email).toBe(email);
    expect(restricted).not.toHaveProperty('name');
    expect(restricted).not.toHaveProperty('email_verified');
    expect(restricted.sub).toBeDefined();
    expect(restricted['cognito:username']).toBeDefined();

    // A client without ReadAttributes reads everything.
    const open = claimsOf((await passwordSignIn(srv, email)).IdToken!);
    expect(open.name).toBe('Secret Name');
  });
});
