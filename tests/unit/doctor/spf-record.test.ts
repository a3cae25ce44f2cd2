import { describe, expect, it } from 'vitest';
import { firstAddressOf, mergeSpf, parseSpf } from '../../../src/doctor/spf-record.js';
import { aligned, organizationalDomain } from '../../../src/doctor/domains.js';

describe('SPF records', () => {
  it('merges several records into one, adding before all and never duplicating', () => {
    expect(mergeSpf(['v=spf1 ip4:192.0.2.1 -all', 'v=spf1 include:a.test ~all'], ['ip4:192.0.2.1', 'include:b.test'])).toBe(
      'v=spf1 ip4:192.0.2.1 include:a.test include:b.test -all',
    );
  });
  it('turns +all/?all and a missing all into ~all, keeps a redirect without all', () => {
    expect(mergeSpf(['v=spf1 a +all'], [])).toBe('v=spf1 a ~all');
    expect(mergeSpf(['v=spf1 mx'], ['ip4:192.0.2.1'])).toBe('v=spf1 mx ip4:192.0.2.1 ~all');
    expect(mergeSpf(['v=spf1 redirect=_spf.a.test'], ['ip4:192.0.2.1'])).toBe('v=spf1 ip4:192.0.2.1 redirect=_spf.a.test');
    expect(mergeSpf([], ['include:amazonses.test'])).toBe('v=spf1 include:amazonses.test ~all');
  });
  it('reports syntax errors', () => {
    expect(parseSpf('v=spf1 ip4:192.0.2.300 -all').errors).toHaveLength(1);
    expect(parseSpf('v=spf1 foo:bar -all').errors).toEqual(['unknown term "foo:bar"']);
    expect(parseSpf('v=spf1 include: -all').errors).toHaveLength(2);
    expect(parseSpf('v=spf1 a/24 mx:mx.example.test//64 exp=e.example.test -all').errors).toEqual([]);
  });
  it('picks a representative address of an ip4 term', () => {
    expect(firstAddressOf('192.0.2.0/24')).toBe('192.0.2.1');
    expect(firstAddressOf('198.51.100.77/28')).toBe('198.51.100.65');
    expect(firstAddressOf('203.0.113.9')).toBe('203.0.113.9');
    expect(firstAddressOf('nonsense')).toBeUndefined();
  });
  it('organizational domains and alignment', () => {
    expect(organizationalDomain('mail.shop.co.jp')).toBe('shop.co.jp');
    expect(organizationalDomain('bounce.example.test')).toBe('example.test');
    expect(aligned('bounce.example.test', 'example.test', 'r')).toBe(true);
    expect(aligned('bounce.example.test', 'example.test', 's')).toBe(false);
    expect(aligned('a.co.jp', 'b.co.jp', 'r')).toBe(false);
  });
});
