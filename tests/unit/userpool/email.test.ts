import { describe, expect, it } from 'vitest';
import { emailProblem } from '../../../src/userpool/email.js';

describe('emailProblem', () => {
  it.each([
    'taro..yamada@docomo.ne.jp',
    'taro.@ezweb.ne.jp',
    '.taro@softbank.ne.jp',
    'a+tag@example.jp',
    '"quoted@local"@example.jp',
    'ユーザー@例え.jp',
  ])('accepts %j (carrier legacy addresses included)', (address) => {
    expect(emailProblem(address)).toBeUndefined();
  });

  it.each([
    ['no-at.example.jp', 'missing-at'],
    ['a@b@example.jp', 'missing-at'],
    ['@example.jp', 'empty-local'],
    ['user@', 'bad-domain'],
    ['user@localhost', 'bad-domain'],
    ['user@-bad-.jp', 'bad-domain'],
    ['with space@example.jp', 'whitespace-or-control'],
    ['tab\t@example.jp', 'whitespace-or-control'],
    ['crlf\r\nBcc: x@example.jp', 'whitespace-or-control'],
    ['del\u007f@example.jp', 'whitespace-or-control'],
    [`${'a'.repeat(244)}@example.jp`, 'too-long'], // 255 octets
  ])('refuses %j as %s', (address, problem) => {
    expect(emailProblem(address)).toBe(problem);
  });

  it('counts octets, not characters, for the 254 limit', () => {
    // 120 three-byte characters = 360 octets.
    expect(emailProblem(`${'あ'.repeat(120)}@example.jp`)).toBe('too-long');
  });
});
