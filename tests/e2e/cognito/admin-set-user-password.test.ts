import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AdminGetUserCommand, AdminSetUserPasswordCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../helpers/server.js';
import { adminCreate, expectError, startServer, storedUser } from '../../helpers/admin.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});
// These tests compare stored times with the clock exactly: time stands still in each.
beforeEach(() => srv.clock.freeze());
afterEach(() => srv.clock.unfreeze());

const set = (Username: string, Password: string, Permanent?: boolean, UserPoolId = srv.demo.poolId) =>
  srv.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId, Username, Password, Permanent }));
const status = async (Username: string) =>
  (await srv.cognito.send(new AdminGetUserCommand({ UserPoolId: srv.demo.poolId, Username }))).UserStatus;

describe('AdminSetUserPassword', () => {
  it('Permanent sets a CONFIRMED password; otherwise a temporary one in FORCE_CHANGE_PASSWORD', async () => {
    const user = await adminCreate(srv, { Username: 'taro@i.softbank.jp' });
    await set('taro@i.softbank.jp', 'Perm-Passw0rd', true);
    expect(await status('taro@i.softbank.jp')).toBe('CONFIRMED');
    let row = await storedUser(srv, user.Username!);
    expect(await srv.deps.passwords.verify(row.passwordHash!, 'Perm-Passw0rd')).toBe(true);
    expect(row.temporaryPasswordIssuedAtMs).toBeNull();

    await set('taro@i.softbank.jp', 'Temp-Passw0rd');
    expect(await status('taro@i.softbank.jp')).toBe('FORCE_CHANGE_PASSWORD');
    row = await storedUser(srv, user.Username!);
    expect(await srv.deps.passwords.verify(row.passwordHash!, 'Temp-Passw0rd')).toBe(true);
    expect(Number(row.temporaryPasswordIssuedAtMs)).toBe(srv.clock.nowMs());
  });

  it('checks the pool password policy', async () => {
    await adminCreate(srv, { Username: 'weak@example.jp' });
    await expectError(set('weak@example.jp', 'alllowercase1!', true), 'InvalidPasswordException', /uppercase/);
    await expectError(set('weak@example.jp', 'Sh0rt!', true), 'InvalidPasswordException', /long enough/);
  });

  it('answers UserNotFoundException and ResourceNotFoundException', async () => {
    await expectError(set('nobody@example.jp', 'Perm-Passw0rd', true), 'UserNotFoundException');
    await expectError(set('x@example.jp', 'Perm-Passw0rd', true, `${srv.region}_NoSuchPool`), 'ResourceNotFoundException');
  });
});
