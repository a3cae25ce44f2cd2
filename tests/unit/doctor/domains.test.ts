import { describe, expect, it } from 'vitest';
import { aligned, organizationalDomain } from '../../../src/doctor/domains.js';

describe('domains', () => {
  it('organizational domains and alignment', () => {
    expect(organizationalDomain('mail.shop.co.jp')).toBe('shop.co.jp');
    expect(organizationalDomain('bounce.example.test')).toBe('example.test');
    expect(aligned('bounce.example.test', 'example.test', 'r')).toBe(true);
    expect(aligned('bounce.example.test', 'example.test', 's')).toBe(false);
    expect(aligned('a.co.jp', 'b.co.jp', 'r')).toBe(false);
  });
});
