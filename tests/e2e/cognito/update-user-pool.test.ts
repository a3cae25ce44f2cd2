// UpdateUserPool: Cognito replaces the changeable settings — what the request leaves out
// returns to its default — and keeps what only CreateUserPool sets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateUserPoolCommand, DescribeUserPoolCommand, UpdateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../helpers/server.js';
import { expectError, startServer } from '../../helpers/pools.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});

async function describe_(id: string) {
  return (await srv.cognito.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool!;
}

describe('UpdateUserPool', () => {
  it('sets what it is given, resets what it is not, and keeps the sign-in settings', async () => {
    const created = (
      await srv.cognito.send(
        new CreateUserPoolCommand({
          PoolName: 'before',
          UsernameAttributes: ['email'],
          UsernameConfiguration: { CaseSensitive: true },
          AutoVerifiedAttributes: ['email'],
          DeletionProtection: 'ACTIVE',
          Schema: [{ Name: 'plan', AttributeDataType: 'String' }],
          VerificationMessageTemplate: { EmailMessage: 'code {####}' },
          UserPoolTags: { team: 'auth' },
        }),
      )
    ).UserPool!;
    srv.clock.advance(5000);
    const out = await srv.cognito.send(
      new UpdateUserPoolCommand({ UserPoolId: created.Id, Policies: { PasswordPolicy: { MinimumLength: 16, RequireLowercase: true } } }),
    );
    expect(out.$metadata.httpStatusCode).toBe(200);
    const after = await describe_(created.Id!);
    expect(after.Name).toBe('before');
    expect(after.Policies?.PasswordPolicy).toMatchObject({ MinimumLength: 16, RequireLowercase: true, RequireUppercase: false });
    // Reset to defaults because the request left them out (API_UpdateUserPool).
    expect(after.DeletionProtection).toBe('INACTIVE');
    expect(after.AutoVerifiedAttributes).toBeUndefined();
    expect(after.VerificationMessageTemplate).toEqual({ DefaultEmailOption: 'CONFIRM_WITH_CODE' });
    expect(after.UserPoolTags).toEqual({});
    // Only CreateUserPool sets these.
    expect(after.UsernameAttributes).toEqual(['email']);
    expect(after.UsernameConfiguration).toEqual({ CaseSensitive: true });
    expect(after.SchemaAttributes?.at(-1)?.Name).toBe('custom:plan');
    expect(after.CreationDate).toEqual(created.CreationDate);
    expect(after.LastModifiedDate!.getTime()).toBeGreaterThanOrEqual(created.LastModifiedDate!.getTime() + 5000);
  });

  it('renames the pool with PoolName', async () => {
    const { UserPool } = await srv.cognito.send(new CreateUserPoolCommand({ PoolName: 'old-name' }));
    await srv.cognito.send(new UpdateUserPoolCommand({ UserPoolId: UserPool!.Id, PoolName: 'new-name' }));
    expect((await describe_(UserPool!.Id!)).Name).toBe('new-name');
  });

  it('validates like CreateUserPool and leaves the pool unchanged on error', async () => {
    const { UserPool } = await srv.cognito.send(new CreateUserPoolCommand({ PoolName: 'guarded', DeletionProtection: 'ACTIVE' }));
    const err = await expectError(
      srv.cognito.send(new UpdateUserPoolCommand({ UserPoolId: UserPool!.Id, Policies: { PasswordPolicy: { MinimumLength: 100 } } })),
      'InvalidParameterException',
    );
    expect(err.message).toContain('Policies.PasswordPolicy.MinimumLength');
    expect((await describe_(UserPool!.Id!)).DeletionProtection).toBe('ACTIVE');
  });

  it('answers ResourceNotFoundException for an unknown pool', async () => {
    await expectError(srv.cognito.send(new UpdateUserPoolCommand({ UserPoolId: `${srv.region}_nothere12` })), 'ResourceNotFoundException');
  });
});
