// Issue 13 #13: Cognito's API creates case-sensitive usernames when CreateUserPool has no
// UsernameConfiguration (UsernameConfigurationType: "defaults to true"; only the console picks
// insensitive). AdminCreateUser "Abc" then "abc" made UsernameExistsException here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminCreateUserCommand, CreateUserPoolCommand, DescribeUserPoolCommand, ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../helpers/server.js';
import { expectError } from '../../helpers/self-service.js';
import { startServer } from '../../helpers/admin.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});

async function newPool(input: Partial<ConstructorParameters<typeof CreateUserPoolCommand>[0]> = {}): Promise<string> {
  return (await srv.cognito.send(new CreateUserPoolCommand({ PoolName: 'case', ...input }))).UserPool!.Id!;
}

describe('username case', () => {
  it('a pool created without UsernameConfiguration is case-sensitive: Abc and abc are two users', async () => {
    const poolId = await newPool();
    expect((await srv.cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!.UsernameConfiguration).toEqual({ CaseSensitive: true });
    await srv.cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'Abc', MessageAction: 'SUPPRESS' }));
    await srv.cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'abc', MessageAction: 'SUPPRESS' }));
    const users = (await srv.cognito.send(new ListUsersCommand({ UserPoolId: poolId }))).Users!.map((u) => u.Username).sort();
    expect(users).toEqual(['Abc', 'abc']);
  });

  it('CaseSensitive false still folds case', async () => {
    const poolId = await newPool({ UsernameConfiguration: { CaseSensitive: false } });
    await srv.cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'Abc', MessageAction: 'SUPPRESS' }));
    await expectError(srv.cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'abc', MessageAction: 'SUPPRESS' })), 'UsernameExistsException');
  });

  it('the demo pool stays case-insensitive (it says so explicitly)', async () => {
    const pool = (await srv.cognito.send(new DescribeUserPoolCommand({ UserPoolId: srv.demo.poolId }))).UserPool!;
    expect(pool.UsernameConfiguration).toEqual({ CaseSensitive: false });
  });
});
