import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { aligned, organizationalDomain } from '../../../src/doctor/alignment.js';

// mailauth's own alignment (lib/tools.js getAlignment, what its DMARC result is made of): the
// doctor's prediction must agree with what a receiver running mailauth computes.
const { getAlignment } = createRequire(import.meta.url)('mailauth/lib/tools.js') as {
  getAlignment(fromDomain: string, domainList: string[], strict: boolean): { domain: string } | false;
};

describe('organizational domains (RFC 7489 §3.2, Public Suffix List)', () => {
  it('plain and attribute-type Japanese names', () => {
    expect(organizationalDomain('example.com')).toBe('example.com');
    expect(organizationalDomain('bounce.mail.example.com')).toBe('example.com');
    expect(organizationalDomain('mail.shop.co.jp')).toBe('shop.co.jp');
    expect(organizationalDomain('smtp.isp.ne.jp')).toBe('isp.ne.jp');
    expect(organizationalDomain('bounce.example.test')).toBe('example.test');
    expect(organizationalDomain('Bounce.Example.COM.')).toBe('example.com');
  });

  it('geographic-type names: kyoto.jp is a public suffix, so is every *.kobe.jp except city.kobe.jp', () => {
    expect(organizationalDomain('bounce.evil.kyoto.jp')).toBe('evil.kyoto.jp');
    expect(organizationalDomain('shop.kyoto.jp')).toBe('shop.kyoto.jp');
    expect(organizationalDomain('www.city.kyoto.jp')).toBe('city.kyoto.jp');
    // uji.kyoto.jp (a municipality of the prefecture) is itself on the list.
    expect(organizationalDomain('mail.shop.uji.kyoto.jp')).toBe('shop.uji.kyoto.jp');
    expect(aligned('bounce.evil.uji.kyoto.jp', 'shop.uji.kyoto.jp', 'r')).toBe(false);
    // PSL: *.kobe.jp with the exception !city.kobe.jp (the city's own registration).
    expect(organizationalDomain('mail.city.kobe.jp')).toBe('city.kobe.jp');
    expect(organizationalDomain('mail.shop.chuo.kobe.jp')).toBe('shop.chuo.kobe.jp');
    // A public suffix on its own has no registrable domain: it is its own (as in mailauth).
    expect(organizationalDomain('kyoto.jp')).toBe('kyoto.jp');
  });

  it('local-government names: lg.jp is the suffix the list carries, so pref.kyoto.lg.jp is under kyoto.lg.jp', () => {
    expect(organizationalDomain('pref.kyoto.lg.jp')).toBe('kyoto.lg.jp');
    expect(organizationalDomain('mail.city.kyoto.lg.jp')).toBe('kyoto.lg.jp');
  });

  it('IDN: Unicode and punycode spellings give the same (ASCII) organizational domain', () => {
    expect(organizationalDomain('mail.shop.京都.jp')).toBe('shop.xn--1lqs03n.jp');
    expect(organizationalDomain('mail.shop.xn--1lqs03n.jp')).toBe('shop.xn--1lqs03n.jp');
    expect(organizationalDomain('メール.例え.jp')).toBe('xn--r8jz45g.jp');
    expect(aligned('bounce.例え.jp', 'xn--r8jz45g.jp', 'r')).toBe(true);
    expect(aligned('例え.jp', 'xn--r8jz45g.jp', 's')).toBe(true);
  });

  it('private section: foo.github.io and bar.github.io are different organisations', () => {
    expect(organizationalDomain('www.foo.github.io')).toBe('foo.github.io');
    expect(aligned('foo.github.io', 'bar.github.io', 'r')).toBe(false);
  });
});

describe('alignment (RFC 7489 §3.1)', () => {
  it('relaxed: same organizational domain; strict: identical', () => {
    expect(aligned('bounce.example.test', 'example.test', 'r')).toBe(true);
    expect(aligned('bounce.example.test', 'example.test', 's')).toBe(false);
    expect(aligned('a.co.jp', 'b.co.jp', 'r')).toBe(false);
    expect(aligned('bounce.shop.co.jp', 'shop.co.jp', 'r')).toBe(true);
    expect(aligned('a.ne.jp', 'b.ne.jp', 'r')).toBe(false);
  });

  it('the kyoto.jp case: bounce.evil.kyoto.jp is not aligned with shop.kyoto.jp', () => {
    expect(aligned('bounce.evil.kyoto.jp', 'shop.kyoto.jp', 'r')).toBe(false);
    expect(aligned('bounce.shop.kyoto.jp', 'shop.kyoto.jp', 'r')).toBe(true);
    expect(aligned('city.kyoto.jp', 'shop.kyoto.jp', 'r')).toBe(false);
    expect(aligned('a.chuo.kobe.jp', 'b.chuo.kobe.jp', 'r')).toBe(false);
  });

  // Relaxed mode only: mailauth 4.13 (installed) passes an options object as `strict`, which is
  // always truthy and then falls through to the relaxed comparison, so its strict mode is
  // relaxed (fixed upstream in mailauth 5: "Every object is truthy"). Strict here follows RFC 7489.
  it.each([
    ['bounce.evil.kyoto.jp', 'shop.kyoto.jp'],
    ['bounce.shop.kyoto.jp', 'shop.kyoto.jp'],
    ['www.city.kyoto.jp', 'city.kyoto.jp'],
    ['mail.city.kobe.jp', 'city.kobe.jp'],
    ['a.chuo.kobe.jp', 'b.chuo.kobe.jp'],
    ['bounce.evil.uji.kyoto.jp', 'shop.uji.kyoto.jp'],
    ['city.kyoto.lg.jp', 'pref.kyoto.lg.jp'],
    ['pref.osaka.lg.jp', 'pref.kyoto.lg.jp'],
    ['mail.shop.co.jp', 'shop.co.jp'],
    ['a.co.jp', 'b.co.jp'],
    ['a.isp.ne.jp', 'isp.ne.jp'],
    ['bounce.example.com', 'example.com'],
    ['example.com', 'example.net'],
    ['bounce.shop.京都.jp', 'shop.xn--1lqs03n.jp'],
    ['foo.github.io', 'bar.github.io'],
    ['kyoto.jp', 'kyoto.jp'],
  ])('relaxed alignment of %s with From %s agrees with mailauth', (identifier, from) => {
    expect(aligned(identifier, from, 'r')).toBe(getAlignment(from, [identifier], false) !== false);
  });
});
