// UsersPort's pending email on SQLite and PostgreSQL: the address held beside the email
// attribute until it is verified (src/userpool/pending-email.ts). createUser leaves none,
// updateUser sets and clears it, and it is no attribute: getAttributes does not show it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore } from '../helpers/db.js';
import { DEFAULT_PASSWORD_POLICY } from '../../src/userpool/passwords.js';
import type { User } from '../../src/userpool/model.js';

const POOL = 'ap-northeast-1_Contract2';
const SUB = '00000000-0000-4000-8000-000000000002';

let t: TestStore;
beforeEach(async () => {
  t = await openTestStore();
  const nowMs = Date.UTC(2026, 0, 1);
  await t.store.pools.createPool({ id: POOL, name: 'p', settings: { Policies: { PasswordPolicy: DEFAULT_PASSWORD_POLICY } }, createdAtMs: nowMs, updatedAtMs: nowMs });
  const user: User = {
    sub: SUB,
    poolId: POOL,
    username: SUB,
    usernameKey: 'old@example.com',
    emailKey: 'old@example.com',
    status: 'CONFIRMED',
    enabled: true,
    passwordHash: 'x',
    failedSignIns: 0,
    lockedUntilMs: 0,
    createdAtMs: nowMs,
    updatedAtMs: nowMs,
  };
  await t.store.users.createUser(user, { email: 'old@example.com', email_verified: 'true' });
});
afterEach(async () => {
  await t.close();
});

describe('UsersPort pending email', () => {
  it('is null for a new user, set and cleared by updateUser, and kept apart from the attributes', async () => {
    const users = t.store.users;
    expect((await users.findUserBySub(POOL, SUB))!.pendingEmail).toBeNull();

    await users.updateUser(SUB, { pendingEmail: 'New.Address@example.com' });
    const held = await users.findUserBySub(POOL, SUB);
    // Kept exactly as given: the code is bound to the address as stored (codes.ts).
    expect(held!.pendingEmail).toBe('New.Address@example.com');
    expect(held!.emailKey).toBe('old@example.com');
    expect(await users.getAttributes(SUB)).toEqual({ email: 'old@example.com', email_verified: 'true' });
    expect(await users.findUsersByEmail(POOL, 'new.address@example.com')).toEqual([]);

    // A patch without it leaves it alone.
    await users.updateUser(SUB, { updatedAtMs: Date.UTC(2026, 0, 2) });
    expect((await users.findUserBySub(POOL, SUB))!.pendingEmail).toBe('New.Address@example.com');

    await users.updateUser(SUB, { pendingEmail: null });
    expect((await users.findUserBySub(POOL, SUB))!.pendingEmail).toBeNull();
  });

  it('goes with the user', async () => {
    await t.store.users.updateUser(SUB, { pendingEmail: 'new@example.com' });
    await t.store.users.deleteUser(SUB);
    expect(await t.store.users.findUserBySub(POOL, SUB)).toBeUndefined();
  });
});
