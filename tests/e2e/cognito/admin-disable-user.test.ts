import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AdminDisableUserCommand, AdminEnableUserCommand, AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../helpers/server.js';
import { adminCreate, expectError, startServer } from '../../helpers/admin.js';

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

const pool = () => srv.demo.poolId;

describe('AdminDisableUser / AdminEnableUser', () => {
  it('disables the user and revokes its sessions; enabling lets it back in but keeps old tokens dead', async () => {
    const user = await adminCreate(srv, { Username: 'taro@au.com' });
    const sub = user.Username!;
    const nowMs = srv.clock.nowMs();
    await srv.store.sessions.createSession({
      id: 'session-1', poolId: pool(), clientId: srv.demo.clientId, userSub: sub, refreshTokenHash: 'h1',
      authTimeMs: nowMs, createdAtMs: nowMs, expiresAtMs: nowMs + 3600_000, revokedAtMs: null,
    });

    await srv.cognito.send(new AdminDisableUserCommand({ UserPoolId: pool(), Username: 'taro@au.com' }));
    const disabled = await srv.cognito.send(new AdminGetUserCommand({ UserPoolId: pool(), Username: 'taro@au.com' }));
    expect(disabled.Enabled).toBe(false);
    expect(disabled.UserLastModifiedDate!.getTime()).toBe(srv.clock.nowMs());
    expect((await srv.store.sessions.findSession('session-1'))!.revokedAtMs).toBe(srv.clock.nowMs());

    await srv.cognito.send(new AdminEnableUserCommand({ UserPoolId: pool(), Username: 'taro@au.com' }));
    const enabled = await srv.cognito.send(new AdminGetUserCommand({ UserPoolId: pool(), Username: 'taro@au.com' }));
    expect(enabled.Enabled).toBe(true);
    expect((await srv.store.sessions.findSession('session-1'))!.revokedAtMs).not.toBeNull();
  });

  it('answers UserNotFoundException and ResourceNotFoundException', async () => {
    await expectError(srv.cognito.send(new AdminDisableUserCommand({ UserPoolId: pool(), Username: 'nobody@example.jp' })), 'UserNotFoundException');
    await expectError(srv.cognito.send(new AdminEnableUserCommand({ UserPoolId: pool(), Username: 'nobody@example.jp' })), 'UserNotFoundException');
    await expectError(
      srv.cognito.send(new AdminDisableUserCommand({ UserPoolId: `${srv.region}_NoSuchPool`, Username: 'x@example.jp' })),
      'ResourceNotFoundException',
    );
  });
});
