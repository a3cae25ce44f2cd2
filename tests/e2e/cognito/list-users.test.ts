import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminDisableUserCommand,
  ListUsersCommand,
  paginateListUsers,
  type ListUsersCommandInput,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../../helpers/server.js';
import { adminCreate, attr, createPool, expectError, startServer } from '../../helpers/admin.js';

let srv: TestServer;
let bigPool: string;
const TOTAL = 130;

beforeAll(async () => {
  srv = await startServer();
  // 130 users written straight through the store: pagination is what is under test here.
  bigPool = (await createPool(srv)).poolId;
  const nowMs = srv.clock.nowMs();
  for (let i = 0; i < TOTAL; i++) {
    const sub = srv.deps.random.uuid();
    const username = `user${String(i).padStart(3, '0')}`;
    await srv.store.users.createUser(
      {
        sub, poolId: bigPool, username, usernameKey: username, emailKey: null, status: 'CONFIRMED', enabled: true,
        passwordHash: null, failedSignIns: 0, lockedUntilMs: 0, createdAtMs: nowMs, updatedAtMs: nowMs,
      },
      { email: `${username}@example.jp` },
    );
  }

  await adminCreate(srv, {
    Username: 'taro.@ezweb.ne.jp',
    UserAttributes: [
      { Name: 'family_name', Value: '山田' },
      { Name: 'given_name', Value: '太郎' },
      { Name: 'name', Value: 'say "hi"' },
    ],
  });
  await adminCreate(srv, { Username: 'taro..yamada@docomo.ne.jp', UserAttributes: [{ Name: 'family_name', Value: '山本' }] });
  await adminCreate(srv, { Username: 'hanako@i.softbank.jp', UserAttributes: [{ Name: 'family_name', Value: '佐藤' }] });
  await srv.cognito.send(new AdminDisableUserCommand({ UserPoolId: srv.demo.poolId, Username: 'hanako@i.softbank.jp' }));
});
afterAll(async () => {
  await srv?.close();
});

const list = (input: Partial<ListUsersCommandInput> = {}) => srv.cognito.send(new ListUsersCommand({ UserPoolId: srv.demo.poolId, ...input }));
const emails = (users: UserType[] | undefined) => (users ?? []).map((u) => attr(u, 'email')).sort();

describe('ListUsers pagination', () => {
  it('pages 130 users 60 at a time with an opaque token, each user once', async () => {
    const first = await srv.cognito.send(new ListUsersCommand({ UserPoolId: bigPool }));
    expect(first.Users).toHaveLength(60);
    expect(first.PaginationToken).toBeDefined();
    const second = await srv.cognito.send(new ListUsersCommand({ UserPoolId: bigPool, PaginationToken: first.PaginationToken }));
    expect(second.Users).toHaveLength(60);
    const third = await srv.cognito.send(new ListUsersCommand({ UserPoolId: bigPool, PaginationToken: second.PaginationToken }));
    expect(third.Users).toHaveLength(10);
    expect(third.PaginationToken).toBeUndefined();
    const names = [...first.Users!, ...second.Users!, ...third.Users!].map((u) => u.Username);
    expect(new Set(names).size).toBe(TOTAL);
  });

  it('works with the SDK paginator and small pages', async () => {
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateListUsers({ client: srv.cognito, pageSize: 7 }, { UserPoolId: bigPool })) {
      pages++;
      expect(page.Users!.length).toBeLessThanOrEqual(7);
      seen.push(...page.Users!.map((u) => u.Username!));
    }
    expect(pages).toBe(Math.ceil(TOTAL / 7));
    expect(new Set(seen).size).toBe(TOTAL);
  });

  it('combines pages with a filter', async () => {
    const seen: string[] = [];
    for await (const page of paginateListUsers({ client: srv.cognito, pageSize: 4 }, { UserPoolId: bigPool, Filter: 'username ^= "user01"' })) {
      seen.push(...page.Users!.map((u) => u.Username!));
    }
    expect(seen.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `user01${i}`));
  });

  it('refuses a Limit over 60 and a token it did not issue', async () => {
    await expectError(list({ Limit: 61 }), 'InvalidParameterException', /Limit|limit/);
    await expectError(list({ PaginationToken: 'not-a-token' }), 'InvalidParameterException', /PaginationToken/);
  });
});

describe('ListUsers filters', () => {
  it('matches email exactly and by prefix, with or without spaces', async () => {
    expect(emails((await list({ Filter: 'email = "taro.@ezweb.ne.jp"' })).Users)).toEqual(['taro.@ezweb.ne.jp']);
    expect(emails((await list({ Filter: 'email="taro.@ezweb.ne.jp"' })).Users)).toEqual(['taro.@ezweb.ne.jp']);
    expect(emails((await list({ Filter: '"email"^="taro."' })).Users)).toEqual(['taro..yamada@docomo.ne.jp', 'taro.@ezweb.ne.jp']);
    expect((await list({ Filter: 'email = "taro"' })).Users).toEqual([]);
  });

  it('matches names in Japanese and values with escaped quotation marks', async () => {
    expect(emails((await list({ Filter: 'family_name ^= "山"' })).Users)).toEqual(['taro..yamada@docomo.ne.jp', 'taro.@ezweb.ne.jp']);
    expect(emails((await list({ Filter: 'name = "say \\"hi\\""' })).Users)).toEqual(['taro.@ezweb.ne.jp']);
  });

  it('matches status, cognito:user_status (any case), sub and username', async () => {
    expect(emails((await list({ Filter: 'status = "Disabled"' })).Users)).toEqual(['hanako@i.softbank.jp']);
    expect((await list({ Filter: 'status = "Enabled"' })).Users).toHaveLength(2);
    expect((await list({ Filter: 'cognito:user_status = "force_change_password"' })).Users).toHaveLength(3);
    expect((await list({ Filter: 'cognito:user_status = "CONFIRMED"' })).Users).toHaveLength(0);
    const [taro] = (await list({ Filter: 'email = "taro.@ezweb.ne.jp"' })).Users!;
    expect((await list({ Filter: `sub = "${taro!.Username}"` })).Users!.map((u) => u.Username)).toEqual([taro!.Username]);
    expect((await list({ Filter: `username = "${taro!.Username}"` })).Users!.map((u) => u.Username)).toEqual([taro!.Username]);
  });

  it('refuses filters it cannot search, naming Filter', async () => {
    await expectError(list({ Filter: 'custom:tier = "gold"' }), 'InvalidParameterException', /Filter.*not a searchable attribute/);
    await expectError(list({ Filter: 'email = taro' }), 'InvalidParameterException', /Filter/);
    await expectError(list({ Filter: 'email = "a" and name = "b"' }), 'InvalidParameterException', /Filter/);
  });
});

describe('ListUsers attributes', () => {
  it('returns UserType with all attributes, or only AttributesToGet', async () => {
    const [user] = (await list({ Filter: 'email = "taro.@ezweb.ne.jp"' })).Users!;
    expect(user!.Attributes![0]).toEqual({ Name: 'sub', Value: user!.Username });
    expect(user!.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
    expect(user!.Enabled).toBe(true);
    expect(user!.UserCreateDate).toBeInstanceOf(Date);
    expect(user!.UserLastModifiedDate).toBeInstanceOf(Date);

    const [only] = (await list({ Filter: 'email = "taro.@ezweb.ne.jp"', AttributesToGet: ['email', 'given_name'] })).Users!;
    expect(only!.Attributes).toEqual([
      { Name: 'email', Value: 'taro.@ezweb.ne.jp' },
      { Name: 'given_name', Value: '太郎' },
    ]);
    await expectError(list({ AttributesToGet: ['custom:nothing'] }), 'InvalidParameterException', /AttributesToGet/);
  });

  it('answers ResourceNotFoundException for an unknown pool', async () => {
    await expectError(list({ UserPoolId: `${srv.region}_NoSuchPool` }), 'ResourceNotFoundException');
  });
});
