import { describe, expect, it } from 'vitest';
import { parseUserFilter } from '../../../src/userpool/list-filter.js';

describe('parseUserFilter', () => {
  it('reads the documented forms', () => {
    expect(parseUserFilter('family_name = "Reddy"')).toEqual({ ok: true, filter: { name: 'family_name', op: '=', value: 'Reddy' } });
    expect(parseUserFilter('given_name ^= "Jon"')).toEqual({ ok: true, filter: { name: 'given_name', op: '^=', value: 'Jon' } });
  });

  it('accepts no spaces, extra spaces and a quoted attribute name', () => {
    expect(parseUserFilter('email="a@b.jp"')).toEqual({ ok: true, filter: { name: 'email', op: '=', value: 'a@b.jp' } });
    expect(parseUserFilter('  email   ^=   "taro"  ')).toEqual({ ok: true, filter: { name: 'email', op: '^=', value: 'taro' } });
    expect(parseUserFilter('"email"^="testuser"')).toEqual({ ok: true, filter: { name: 'email', op: '^=', value: 'testuser' } });
  });

  it('unescapes quotation marks and backslashes in the value', () => {
    expect(parseUserFilter('name = "say \\"hi\\" \\\\ ok"')).toEqual({ ok: true, filter: { name: 'name', op: '=', value: 'say "hi" \\ ok' } });
  });

  it('keeps carrier addresses and non-ASCII values as given', () => {
    expect(parseUserFilter('email = "taro.@ezweb.ne.jp"')).toMatchObject({ ok: true, filter: { value: 'taro.@ezweb.ne.jp' } });
    expect(parseUserFilter('family_name ^= "山"')).toMatchObject({ ok: true, filter: { value: '山' } });
  });

  it('treats an empty filter as no filter', () => {
    expect(parseUserFilter('')).toEqual({ ok: true, filter: undefined });
    expect(parseUserFilter('   ')).toEqual({ ok: true, filter: undefined });
  });

  it('matches cognito:user_status case-insensitively and status as written', () => {
    expect(parseUserFilter('cognito:user_status = "unconfirmed"')).toMatchObject({ ok: true, filter: { value: 'UNCONFIRMED' } });
    expect(parseUserFilter('status = "Enabled"')).toMatchObject({ ok: true, filter: { name: 'status', value: 'Enabled' } });
  });

  it('refuses attributes Cognito cannot search', () => {
    for (const f of ['custom:tier = "gold"', 'locale = "ja"', 'Email = "a@b.jp"']) {
      const r = parseUserFilter(f);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.problem).toMatch(/not a searchable attribute/);
    }
  });

  it('refuses malformed filters', () => {
    for (const f of [
      'email',
      'email = ',
      'email = a@b.jp',
      'email = "open',
      'email != "x"',
      'email ~ "x"',
      '= "x"',
      'email = "a" and name = "b"',
      'email = "a" x',
      '"email = "x"',
      'email = "x\\',
    ]) {
      expect(parseUserFilter(f).ok, f).toBe(false);
    }
  });
});
