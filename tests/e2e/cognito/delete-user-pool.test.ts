// DeleteUserPool and ListUserPools.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ListUserPoolsCommand,
  SignUpCommand,
  UpdateUserPoolCommand,
  paginateListUserPools,
} from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../helpers/server.js';
import { expectError, startServer } from '../../helpers/pools.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});

describe('DeleteUserPool', () => {
  it('deletes the pool with its clients and users', async () => {
    const { UserPool } = await srv.cognito.send(new CreateUserPoolCommand({ PoolName: 'doomed', UsernameAttributes: ['email'] }));
    const { UserPoolClient } = await srv.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: UserPool!.Id, ClientName: 'web' }));
    await srv.publicClient.send(new SignUpCommand({ ClientId: UserPoolClient!.ClientId, Username: 'gone@example.jp', Password: 'Passw0rd!' }));
    await srv.cognito.send(new DeleteUserPoolCommand({ UserPoolId: UserPool!.Id }));
    await expectError(srv.cognito.send(new DescribeUserPoolCommand({ UserPoolId: UserPool!.Id })), 'ResourceNotFoundException');
    await expectError(
      srv.cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: UserPool!.Id, ClientId: UserPoolClient!.ClientId })),
      'ResourceNotFoundException',
    );
    expect(await srv.store.clients.findClient(UserPoolClient!.ClientId!)).toBeUndefined();
    expect(await srv.store.pools.countUsers(UserPool!.Id!)).toBe(0);
  });

  it('refuses while DeletionProtection is ACTIVE, as Cognito does', async () => {
    const { UserPool } = await srv.cognito.send(new CreateUserPoolCommand({ PoolName: 'protected', DeletionProtection: 'ACTIVE' }));
    const err = await expectError(srv.cognito.send(new DeleteUserPoolCommand({ UserPoolId: UserPool!.Id })), 'InvalidParameterException');
    expect(err.message).toContain('DeletionProtection');
    await srv.cognito.send(new DescribeUserPoolCommand({ UserPoolId: UserPool!.Id }));
    await srv.cognito.send(new UpdateUserPoolCommand({ UserPoolId: UserPool!.Id, DeletionProtection: 'INACTIVE' }));
    await srv.cognito.send(new DeleteUserPoolCommand({ UserPoolId: UserPool!.Id }));
  });

  it('answers ResourceNotFoundException for an unknown pool', async () => {
    await expectError(srv.cognito.send(new DeleteUserPoolCommand({ UserPoolId: `${srv.region}_nothere12` })), 'ResourceNotFoundException');
  });
});

describe('ListUserPools', () => {
  it('pages through every pool with an opaque NextToken', async () => {
    for (let i = 0; i < 5; i++) await srv.cognito.send(new CreateUserPoolCommand({ PoolName: `listed-${i}` }));
    const first = await srv.cognito.send(new ListUserPoolsCommand({ MaxResults: 2 }));
    expect(first.UserPools).toHaveLength(2);
    expect(first.NextToken).toBeTruthy();
    expect(first.UserPools![0]).toMatchObject({ Id: expect.any(String), Name: expect.any(String) });
    expect(first.UserPools![0]!.CreationDate).toBeInstanceOf(Date);
    expect(first.UserPools![0]!.LastModifiedDate).toBeInstanceOf(Date);

    const all: string[] = [];
    for await (const page of paginateListUserPools({ client: srv.cognito, pageSize: 2 }, { MaxResults: 2 })) {
      all.push(...(page.UserPools ?? []).map((p) => p.Id!));
    }
    const stored = await srv.store.pools.listPools(1000, undefined);
    expect(all).toEqual(stored.map((p) => p.id));
    expect(new Set(all).size).toBe(all.length);
    expect(all).toContain(srv.demo.poolId);
  });

  it('requires MaxResults between 1 and 60', async () => {
    const missing = await expectError(srv.cognito.send(new ListUserPoolsCommand({} as never)), 'InvalidParameterException');
    expect(missing.message).toContain("'MaxResults'");
    await expectError(srv.cognito.send(new ListUserPoolsCommand({ MaxResults: 61 })), 'InvalidParameterException');
    await expectError(srv.cognito.send(new ListUserPoolsCommand({ MaxResults: 0 })), 'InvalidParameterException');
  });

  it('refuses a NextToken it did not issue', async () => {
    const err = await expectError(srv.cognito.send(new ListUserPoolsCommand({ MaxResults: 5, NextToken: 'bogus' })), 'InvalidParameterException');
    expect(err.message).toContain('NextToken');
  });
});
