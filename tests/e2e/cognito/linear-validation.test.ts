// Issue 13 #6: `^C*\{##C*##\}C*$` backtracked for 35 s on "{####}"×3333 + U+0001 (and the
// single-threaded server answered nobody meanwhile). Every check of user-supplied text must run
// in linear time; these are the inputs that found the offenders, each with a bound a
// backtracking pattern fails by orders of magnitude even on a loaded machine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateUserPoolCommand, UpdateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../helpers/server.js';
import { expectError, startServer } from '../../helpers/pools.js';

let srv: TestServer;
let poolId: string;
beforeAll(async () => {
  srv = await startServer();
  poolId = (await srv.cognito.send(new CreateUserPoolCommand({ PoolName: 'redos' }))).UserPool!.Id!;
});
afterAll(async () => {
  await srv?.close();
});

async function timed(work: () => Promise<unknown>): Promise<number> {
  const startMs = performance.now();
  await work();
  return performance.now() - startMs;
}

describe('validation runs in linear time', () => {
  it('EmailMessageByLink "{####}"×3333 + U+0001: refused, under a second', async () => {
    const ms = await timed(() =>
      expectError(
        srv.cognito.send(new UpdateUserPoolCommand({ UserPoolId: poolId, VerificationMessageTemplate: { EmailMessageByLink: '{####}'.repeat(3333) + '\u0001' } })),
        'InvalidParameterException',
      ),
    );
    expect(ms).toBeLessThan(1000);
  });

  it('EmailMessage "{###"×5000 + U+0001: refused, under a second', async () => {
    const ms = await timed(() =>
      expectError(
        srv.cognito.send(new UpdateUserPoolCommand({ UserPoolId: poolId, VerificationMessageTemplate: { EmailMessage: '{###'.repeat(4999) + '\u0001' } })),
        'InvalidParameterException',
      ),
    );
    expect(ms).toBeLessThan(1000);
  });

  it('ReplyToEmailAddress "@"×100000 + U+0001: refused, under a second', async () => {
    const ms = await timed(() =>
      expectError(
        srv.cognito.send(
          new UpdateUserPoolCommand({ UserPoolId: poolId, EmailConfiguration: { ReplyToEmailAddress: '@'.repeat(100_000) + '\u0001' } }),
        ),
        'InvalidParameterException',
      ),
    );
    expect(ms).toBeLessThan(1000);
  });

  it('still accepts what the patterns accept and refuses what they refuse', async () => {
    await srv.cognito.send(
      new UpdateUserPoolCommand({
        UserPoolId: poolId,
        EmailConfiguration: { ReplyToEmailAddress: 'a@b@c' },
        VerificationMessageTemplate: { EmailMessage: 'コード {####} です', EmailMessageByLink: 'Click {##here##}, {##' },
      }),
    );
    for (const EmailMessageByLink of ['no link here', '{##}', '##}{## x']) {
      await expectError(srv.cognito.send(new UpdateUserPoolCommand({ UserPoolId: poolId, VerificationMessageTemplate: { EmailMessageByLink } })), 'InvalidParameterException');
    }
    for (const EmailMessage of ['code {###} x', 'code {####}\u0007']) {
      await expectError(srv.cognito.send(new UpdateUserPoolCommand({ UserPoolId: poolId, VerificationMessageTemplate: { EmailMessage } })), 'InvalidParameterException');
    }
    for (const ReplyToEmailAddress of ['@ab', 'ab@', 'a b@c']) {
      await expectError(srv.cognito.send(new UpdateUserPoolCommand({ UserPoolId: poolId, EmailConfiguration: { ReplyToEmailAddress } })), 'InvalidParameterException');
    }
  });
});
