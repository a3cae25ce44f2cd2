// CreateUserPoolClient, DescribeUserPoolClient, UpdateUserPoolClient,
// ListUserPoolClients and DeleteUserPoolClient through the real AWS SDK.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
  CreateUserPoolCommand,
  DeleteUserPoolClientCommand,
  DescribeUserPoolClientCommand,
  ListUserPoolClientsCommand,
  SignUpCommand,
  UpdateUserPoolClientCommand,
  paginateListUserPoolClients,
} from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../helpers/server.js';
import { computeSecretHash } from '../../../src/userpool/secret-hash.js';
import { expectError, startServer } from '../../helpers/pools.js';

let srv: TestServer;
let poolId: string;
let otherPoolId: string;
beforeAll(async () => {
  srv = await startServer();
  poolId = (await srv.cognito.send(new CreateUserPoolCommand({ PoolName: 'clients', UsernameAttributes: ['email'], Schema: [{ Name: 'plan', AttributeDataType: 'String' }] })))
    .UserPool!.Id!;
  otherPoolId = (await srv.cognito.send(new CreateUserPoolCommand({ PoolName: 'other' }))).UserPool!.Id!;
});
afterAll(async () => {
  await srv?.close();
});

describe('CreateUserPoolClient', () => {
  it("creates a client with the API's defaults", async () => {
    const beforeMs = srv.clock.nowMs();
    const { UserPoolClient: c } = await srv.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'plain' }));
    expect(c!.ClientId).toMatch(/^[a-z0-9]{26}$/);
    expect(c!.ClientSecret).toBeUndefined();
    expect(c).toMatchObject({
      UserPoolId: poolId,
      ClientName: 'plain',
      RefreshTokenValidity: 30,
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH'],
      PreventUserExistenceErrors: 'LEGACY',
      EnableTokenRevocation: true,
      AuthSessionValidity: 3,
      AllowedOAuthFlowsUserPoolClient: false,
    });
    expect(c!.CreationDate!.getTime()).toBeGreaterThanOrEqual(beforeMs);
    expect(c!.CreationDate!.getTime()).toBeLessThanOrEqual(srv.clock.nowMs());
    expect(c!.LastModifiedDate).toEqual(c!.CreationDate);
    const described = await srv.cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: c!.ClientId }));
    expect(described.UserPoolClient).toEqual(c);
  });

  it('generates a secret that SECRET_HASH is computed with', async () => {
    const { UserPoolClient: c } = await srv.cognito.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'server', GenerateSecret: true, ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] }),
    );
    expect(c!.ClientSecret).toMatch(/^[a-z0-9]{51}$/);
    await expectError(
      srv.publicClient.send(new SignUpCommand({ ClientId: c!.ClientId, Username: 'nohash@example.jp', Password: 'Passw0rd!' })),
      'NotAuthorizedException',
    );
    const hash = computeSecretHash(c!.ClientSecret!, 'hash@example.jp', c!.ClientId!);
    const ok = await srv.publicClient.send(new SignUpCommand({ ClientId: c!.ClientId, Username: 'hash@example.jp', Password: 'Passw0rd!', SecretHash: hash }));
    expect(ok.UserSub).toBeTruthy();
  });

  it('stores token validities, auth flows and OAuth settings and returns them', async () => {
    const settings: Omit<CreateUserPoolClientCommandInput, 'UserPoolId' | 'ClientName'> = {
      AccessTokenValidity: 30,
      IdTokenValidity: 30,
      RefreshTokenValidity: 7,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'days' },
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: false,
      ReadAttributes: ['email', 'email_verified', 'custom:plan'],
      WriteAttributes: ['email', 'custom:plan'],
      CallbackURLs: ['https://app.example.jp/callback', 'http://localhost:3000/callback'],
      LogoutURLs: ['https://app.example.jp/'],
      DefaultRedirectURI: 'https://app.example.jp/callback',
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email'],
      AllowedOAuthFlowsUserPoolClient: true,
      SupportedIdentityProviders: ['COGNITO'],
    };
    const { UserPoolClient: c } = await srv.cognito.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'configured', ...settings }),
    );
    const d = (await srv.cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: c!.ClientId }))).UserPoolClient!;
    // Every setting comes back as it was given.
    expect(d).toMatchObject(settings);
  });

  it('refuses what Cognito refuses, naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ExplicitAuthFlows: ['USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH'] }, 'ExplicitAuthFlows'],
      [{ ExplicitAuthFlows: ['ALLOW_EVERYTHING'] }, 'ExplicitAuthFlows'],
      [{ AccessTokenValidity: 2, TokenValidityUnits: { AccessToken: 'minutes' } }, 'Invalid range for token validity: AccessTokenValidity'],
      [{ RefreshTokenValidity: 11, TokenValidityUnits: { RefreshToken: 'minutes' } }, 'Invalid range for token validity: RefreshTokenValidity'],
      [{ IdTokenValidity: 2, TokenValidityUnits: { IdToken: 'days' } }, 'IdTokenValidity'],
      [{ PreventUserExistenceErrors: 'SOMETIMES' }, 'PreventUserExistenceErrors'],
      [{ ReadAttributes: ['custom:unknown'] }, 'Invalid read attributes'],
      [{ CallbackURLs: ['http://app.example.jp/cb'] }, 'cannot use the HTTP protocol'],
      [{ GenerateSecret: true, ClientSecret: 'a'.repeat(30) }, 'ClientSecret'],
    ];
    for (const [extra, text] of cases) {
      const err = await expectError(
        srv.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'bad', ...(extra as object) })),
        'InvalidParameterException',
      );
      expect(err.message, JSON.stringify(extra)).toContain(text);
    }
  });

  it('answers ResourceNotFoundException for an unknown pool', async () => {
    await expectError(srv.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: `${srv.region}_nothere12`, ClientName: 'x' })), 'ResourceNotFoundException');
  });
});

describe('DescribeUserPoolClient', () => {
  it('answers ResourceNotFoundException for an unknown client and for a client of another pool', async () => {
    const { UserPoolClient: c } = await srv.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'mine' }));
    const unknown = await expectError(
      srv.cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: 'a'.repeat(26) })),
      'ResourceNotFoundException',
    );
    expect(unknown.message).toContain('a'.repeat(26));
    await expectError(srv.cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: otherPoolId, ClientId: c!.ClientId })), 'ResourceNotFoundException');
    await expectError(
      srv.cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: `${srv.region}_nothere12`, ClientId: c!.ClientId })),
      'ResourceNotFoundException',
    );
  });
});

describe('UpdateUserPoolClient', () => {
  it('replaces the settings, resetting what the request leaves out, and keeps name and secret', async () => {
    const { UserPoolClient: c } = await srv.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'evolving',
        GenerateSecret: true,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        PreventUserExistenceErrors: 'ENABLED',
        AccessTokenValidity: 2,
      }),
    );
    srv.clock.advance(60_000);
    const out = await srv.cognito.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: c!.ClientId, IdTokenValidity: 3 }));
    const u = out.UserPoolClient!;
    expect(u.ClientName).toBe('evolving');
    expect(u.ClientSecret).toBe(c!.ClientSecret);
    expect(u.IdTokenValidity).toBe(3);
    expect(u.AccessTokenValidity).toBeUndefined();
    expect(u.PreventUserExistenceErrors).toBe('LEGACY');
    expect(u.ExplicitAuthFlows).toEqual(['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH']);
    expect(u.CreationDate).toEqual(c!.CreationDate);
    expect(u.LastModifiedDate!.getTime()).toBeGreaterThanOrEqual(c!.LastModifiedDate!.getTime() + 60_000);
    const d = await srv.cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: c!.ClientId }));
    expect(d.UserPoolClient).toEqual(u);

    await srv.cognito.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: c!.ClientId, ClientName: 'renamed' }));
    const renamed = await srv.cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: c!.ClientId }));
    expect(renamed.UserPoolClient!.ClientName).toBe('renamed');
  });

  it('validates like CreateUserPoolClient and finds clients only in their own pool', async () => {
    const { UserPoolClient: c } = await srv.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'strict' }));
    await expectError(
      srv.cognito.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: c!.ClientId, ExplicitAuthFlows: ['ADMIN_NO_SRP_AUTH', 'ALLOW_CUSTOM_AUTH'] })),
      'InvalidParameterException',
    );
    await expectError(srv.cognito.send(new UpdateUserPoolClientCommand({ UserPoolId: otherPoolId, ClientId: c!.ClientId })), 'ResourceNotFoundException');
  });
});

describe('ListUserPoolClients and DeleteUserPoolClient', () => {
  it("lists a pool's clients page by page and forgets deleted ones", async () => {
    const { UserPool } = await srv.cognito.send(new CreateUserPoolCommand({ PoolName: 'many-clients' }));
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await srv.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: UserPool!.Id, ClientName: `app-${i}` }))).UserPoolClient!.ClientId!);
    }
    const first = await srv.cognito.send(new ListUserPoolClientsCommand({ UserPoolId: UserPool!.Id, MaxResults: 2 }));
    expect(first.UserPoolClients).toHaveLength(2);
    expect(first.UserPoolClients![0]).toEqual({ ClientId: expect.any(String), UserPoolId: UserPool!.Id, ClientName: expect.stringMatching(/^app-/) });
    expect(first.NextToken).toBeTruthy();

    const listed: string[] = [];
    for await (const page of paginateListUserPoolClients({ client: srv.cognito, pageSize: 2 }, { UserPoolId: UserPool!.Id })) {
      listed.push(...page.UserPoolClients!.map((c) => c.ClientId!));
    }
    expect([...listed].sort()).toEqual([...ids].sort());

    await srv.cognito.send(new DeleteUserPoolClientCommand({ UserPoolId: UserPool!.Id, ClientId: ids[0] }));
    const after = await srv.cognito.send(new ListUserPoolClientsCommand({ UserPoolId: UserPool!.Id }));
    expect(after.UserPoolClients!.map((c) => c.ClientId)).not.toContain(ids[0]);
    expect(after.UserPoolClients).toHaveLength(4);
    expect(after.NextToken).toBeUndefined();
    await expectError(srv.cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: UserPool!.Id, ClientId: ids[0] })), 'ResourceNotFoundException');
    await expectError(srv.cognito.send(new DeleteUserPoolClientCommand({ UserPoolId: UserPool!.Id, ClientId: ids[0] })), 'ResourceNotFoundException');
  });

  it('will not delete a client through another pool, nor list with a token of another pool', async () => {
    const { UserPoolClient: c } = await srv.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'kept' }));
    await expectError(srv.cognito.send(new DeleteUserPoolClientCommand({ UserPoolId: otherPoolId, ClientId: c!.ClientId })), 'ResourceNotFoundException');
    await srv.cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: c!.ClientId }));
    const page = await srv.cognito.send(new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 1 }));
    await expectError(
      srv.cognito.send(new ListUserPoolClientsCommand({ UserPoolId: otherPoolId, NextToken: page.NextToken })),
      'InvalidParameterException',
    );
    await expectError(srv.cognito.send(new ListUserPoolClientsCommand({ UserPoolId: `${srv.region}_nothere12` })), 'ResourceNotFoundException');
  });
});
