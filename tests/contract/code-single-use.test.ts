// checkCode on SQLite and PostgreSQL: a code is used once, even by two answers that both
// read it before either consumed it (PostgreSQL's READ COMMITTED lets the second one's
// counting UPDATE find the row already deleted by the first).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore } from '../helpers/db.js';
import { ManualClock } from '../../src/core/clock.js';
import { loadConfig } from '../../src/config/index.js';
import { DEFAULT_PASSWORD_POLICY } from '../../src/userpool/passwords.js';
import { checkCode, issueCode } from '../../src/userpool/codes.js';
import type { User } from '../../src/userpool/model.js';
import type { Ports } from '../../src/ports.js';
import { cryptoRandom } from '../../src/core/random.js';

const POOL = 'ap-northeast-1_Contract2';
const SUB = '00000000-0000-4000-8000-000000000002';
const nowMs = Date.UTC(2026, 0, 1);
const user: User = {
  sub: SUB, poolId: POOL, username: 'hanako', usernameKey: 'hanako', emailKey: null, status: 'CONFIRMED', enabled: true,
  passwordHash: 'x', failedSignIns: 0, lockedUntilMs: 0, createdAtMs: nowMs, updatedAtMs: nowMs,
};

let t: TestStore;
beforeEach(async () => {
  t = await openTestStore();
  await t.store.pools.createPool({ id: POOL, name: 'p', settings: { Policies: { PasswordPolicy: DEFAULT_PASSWORD_POLICY } }, createdAtMs: nowMs, updatedAtMs: nowMs });
  await t.store.users.createUser(user, {});
});
afterEach(async () => {
  await t.close();
});

describe('checkCode', () => {
  it('refuses a right code whose row another answer consumed after this one read it', async () => {
    const clock = new ManualClock(nowMs);
    const deps = {
      clock,
      random: { ...cryptoRandom, digits: () => '123456' },
      codeKey: Buffer.alloc(32, 7),
      config: loadConfig({}),
    };
    await t.store.transaction((tx) => issueCode(tx, deps, user, 'FORGOT_PASSWORD'));
    const outcome = await t.store.transaction(async (tx) => {
      // The winning answer commits between this answer's read and its counting write.
      const racing: Ports = {
        ...tx,
        codes: {
          ...tx.codes,
          findCode: async (sub, purpose) => {
            const found = await tx.codes.findCode(sub, purpose);
            if (found) await tx.codes.deleteCode(found.id);
            return found;
          },
          recordCodeFailure: (id) => tx.codes.recordCodeFailure(id),
          putCode: (c) => tx.codes.putCode(c),
          deleteCode: (id) => tx.codes.deleteCode(id),
        },
      };
      return checkCode(racing, deps, user, 'FORGOT_PASSWORD', '123456');
    });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.type).toBe('ExpiredCodeException');
  });
});

describe('CodesPort.voidCode', () => {
  it("deletes the user's live code of one purpose and leaves the others", async () => {
    const deps = { clock: new ManualClock(nowMs), random: cryptoRandom, codeKey: Buffer.alloc(32, 7) };
    await issueCode(t.store, deps, user, 'SIGN_UP');
    await issueCode(t.store, deps, user, 'FORGOT_PASSWORD');
    await t.store.codes.voidCode(SUB, 'SIGN_UP');
    expect(await t.store.codes.findCode(SUB, 'SIGN_UP')).toBeUndefined();
    expect(await t.store.codes.findCode(SUB, 'FORGOT_PASSWORD')).toBeDefined();
    // Nothing to void is not an error.
    await t.store.codes.voidCode(SUB, 'SIGN_UP');
  });
});
