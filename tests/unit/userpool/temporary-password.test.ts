import { describe, expect, it } from 'vitest';
import { cryptoRandom } from '../../../src/core/random.js';
import { checkPasswordPolicy, DEFAULT_PASSWORD_POLICY } from '../../../src/userpool/passwords.js';
import {
  generateTemporaryPassword,
  isTemporaryPasswordExpired,
  temporaryPasswordExpiresAtMs,
} from '../../../src/userpool/temporary-password.js';
import type { User, UserPool } from '../../../src/userpool/model.js';

const DAY = 24 * 3600_000;
const T0 = Date.UTC(2026, 0, 1);

function pool(days?: number): UserPool {
  const policy = { ...DEFAULT_PASSWORD_POLICY } as typeof DEFAULT_PASSWORD_POLICY;
  if (days !== undefined) policy.TemporaryPasswordValidityDays = days;
  return { id: 'ap-northeast-1_Test12345', name: 'p', settings: { Policies: { PasswordPolicy: policy } }, createdAtMs: T0, updatedAtMs: T0 };
}

function user(patch: Partial<User> = {}): User {
  return {
    sub: '00000000-0000-4000-8000-000000000000', poolId: 'ap-northeast-1_Test12345', username: 'taro', usernameKey: 'taro',
    emailKey: null, status: 'FORCE_CHANGE_PASSWORD', enabled: true, passwordHash: 'x', failedSignIns: 0, lockedUntilMs: 0,
    createdAtMs: T0, updatedAtMs: T0, temporaryPasswordIssuedAtMs: T0, ...patch,
  };
}

describe('temporary password expiry', () => {
  it('expires TemporaryPasswordValidityDays after it was issued', () => {
    expect(temporaryPasswordExpiresAtMs(user(), pool(3))).toBe(T0 + 3 * DAY);
    expect(isTemporaryPasswordExpired(user(), pool(3), T0 + 3 * DAY - 1)).toBe(false);
    expect(isTemporaryPasswordExpired(user(), pool(3), T0 + 3 * DAY)).toBe(true);
  });

  it('counts from the latest issue (RESEND), not from creation', () => {
    const u = user({ temporaryPasswordIssuedAtMs: T0 + 10 * DAY });
    expect(isTemporaryPasswordExpired(u, pool(7), T0 + 16 * DAY)).toBe(false);
    expect(isTemporaryPasswordExpired(u, pool(7), T0 + 17 * DAY)).toBe(true);
  });

  it('falls back to creation time when no issue time is recorded', () => {
    expect(temporaryPasswordExpiresAtMs(user({ temporaryPasswordIssuedAtMs: null }), pool(7))).toBe(T0 + 7 * DAY);
  });

  it('never applies to users without a temporary password', () => {
    for (const status of ['CONFIRMED', 'UNCONFIRMED', 'RESET_REQUIRED'] as const) {
      expect(isTemporaryPasswordExpired(user({ status }), pool(1), T0 + 100 * DAY)).toBe(false);
    }
  });
});

describe('generateTemporaryPassword', () => {
  it('meets the strictest policy and the pool minimum length', () => {
    for (let i = 0; i < 200; i++) {
      const p = generateTemporaryPassword(DEFAULT_PASSWORD_POLICY, cryptoRandom);
      expect(() => checkPasswordPolicy(p, DEFAULT_PASSWORD_POLICY)).not.toThrow();
      expect(p).toHaveLength(12);
    }
    const long = { ...DEFAULT_PASSWORD_POLICY, MinimumLength: 40 };
    expect(generateTemporaryPassword(long, cryptoRandom)).toHaveLength(40);
  });

  it('differs between calls', () => {
    const seen = new Set(Array.from({ length: 50 }, () => generateTemporaryPassword(DEFAULT_PASSWORD_POLICY, cryptoRandom)));
    expect(seen.size).toBe(50);
  });
});
