import { describe, expect, it } from 'vitest';
import { attributeList, toUserType } from '../../../src/userpool/user-view.js';
import type { User } from '../../../src/userpool/model.js';

const user: User = {
  sub: 'a1b2c3d4-0000-4000-8000-000000000000', poolId: 'p', username: 'taro', usernameKey: 'taro', emailKey: null,
  status: 'CONFIRMED', enabled: false, passwordHash: null, failedSignIns: 0, lockedUntilMs: 0,
  createdAtMs: 1_767_225_600_123, updatedAtMs: 1_767_225_700_000,
};

describe('user view', () => {
  it('lists sub first, then attributes by name', () => {
    expect(attributeList(user, { email_verified: 'true', email: 'taro.@ezweb.ne.jp', name: '太郎' })).toEqual([
      { Name: 'sub', Value: user.sub },
      { Name: 'email', Value: 'taro.@ezweb.ne.jp' },
      { Name: 'email_verified', Value: 'true' },
      { Name: 'name', Value: '太郎' },
    ]);
  });

  it('keeps only the requested attributes', () => {
    expect(attributeList(user, { email: 'a@b.jp', name: 'n' }, ['name'])).toEqual([{ Name: 'name', Value: 'n' }]);
    expect(attributeList(user, { email: 'a@b.jp' }, ['sub', 'email'])).toEqual([
      { Name: 'sub', Value: user.sub },
      { Name: 'email', Value: 'a@b.jp' },
    ]);
    expect(attributeList(user, { email: 'a@b.jp' }, [])).toEqual([]);
  });

  it('shapes Cognito UserType with epoch-second dates', () => {
    expect(toUserType(user, {})).toEqual({
      Username: 'taro',
      Attributes: [{ Name: 'sub', Value: user.sub }],
      UserCreateDate: 1_767_225_600.123,
      UserLastModifiedDate: 1_767_225_700,
      Enabled: false,
      UserStatus: 'CONFIRMED',
    });
  });
});
