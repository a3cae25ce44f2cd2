import { describe, expect, it } from 'vitest';
import { authorisesAll, authorisesSomeone, countLookups, firstAddressOf, mergeSpf, parseSpf, spfTermsFor, walkSpf } from '../../../src/dns/spf-record.js';
import { createResolver } from '../../../src/dns/resolver.js';
import { startDnsServer } from '../../helpers/dns-server.js';

describe('SPF records', () => {
  it('merges several records into one, adding before all and never duplicating', () => {
    expect(mergeSpf(['v=spf1 ip4:192.0.2.1 -all', 'v=spf1 include:a.test ~all'], ['ip4:192.0.2.1', 'include:b.test']).record).toBe(
      'v=spf1 ip4:192.0.2.1 include:a.test include:b.test -all',
    );
  });
  it('turns +all/?all and a missing all into ~all, keeps a redirect without all', () => {
    expect(mergeSpf(['v=spf1 a +all'], []).record).toBe('v=spf1 a ~all');
    expect(mergeSpf(['v=spf1 mx'], ['ip4:192.0.2.1']).record).toBe('v=spf1 mx ip4:192.0.2.1 ~all');
    expect(mergeSpf(['v=spf1 redirect=_spf.a.test'], ['ip4:192.0.2.1']).record).toBe('v=spf1 ip4:192.0.2.1 redirect=_spf.a.test');
    expect(mergeSpf([], ['include:amazonses.test']).record).toBe('v=spf1 include:amazonses.test ~all');
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
});

describe('SPF terms and merging', () => {
  it('turns sending IPs, CIDRs and relay domains into SPF terms', () => {
    expect(spfTermsFor(['192.0.2.10', '2001:DB8::1', '198.51.100.0/24', 'include:_spf.relay.example', 'relay.example', '192.0.2.10'])).toEqual([
      'ip4:192.0.2.10',
      'ip6:2001:db8::1',
      'ip4:198.51.100.0/24',
      'include:_spf.relay.example',
      'include:relay.example',
    ]);
  });

  it('adds missing terms before the existing all, keeping everything else', () => {
    const m = mergeSpf('v=spf1 include:_spf.google.com ~all', ['ip4:192.0.2.10', 'include:_spf.google.com']);
    expect(m.record).toBe('v=spf1 include:_spf.google.com ip4:192.0.2.10 ~all');
    expect(m.added).toEqual(['ip4:192.0.2.10']);
    expect(m.lookups).toBe(1);
  });

  it('inserts before redirect= and counts it as a lookup', () => {
    const m = mergeSpf('v=spf1 mx redirect=_spf.example.jp', ['ip4:192.0.2.10']);
    expect(m.record).toBe('v=spf1 mx ip4:192.0.2.10 redirect=_spf.example.jp');
    expect(countLookups(m.record)).toBe(2);
    expect(authorisesAll(m.record, ['ip4:192.0.2.10'])).toBe(true);
  });
});

describe('SPF verdict and lookups', () => {
  it('uses the given all only where the record has none or a permissive one', () => {
    expect(mergeSpf([], ['ip4:192.0.2.1'], { all: '-all' }).record).toBe('v=spf1 ip4:192.0.2.1 -all');
    expect(mergeSpf(['v=spf1 mx ?all'], [], { all: '-all' }).record).toBe('v=spf1 mx -all');
    expect(mergeSpf(['v=spf1 mx ~all'], [], { all: '-all' })).toMatchObject({ record: 'v=spf1 mx ~all', unchanged: true });
    expect(mergeSpf(['v=spf1 +IP4:192.0.2.1 -all'], ['ip4:192.0.2.1'])).toMatchObject({ added: [], unchanged: true });
  });

  it('counts lookups through includes for a record not published yet, and only the top level without DNS', async () => {
    const dns = await startDnsServer();
    dns.zone.set('relay.example', 'TXT', ['v=spf1 include:a.example include:b.example -all']);
    dns.zone.set('a.example', 'TXT', ['v=spf1 ip4:198.51.100.1 -all']);
    dns.zone.set('b.example', 'TXT', ['v=spf1 include:a.example -all']);
    const resolve = createResolver({ servers: [dns.server], timeoutMs: 500, tries: 1 });
    const record = 'v=spf1 mx include:relay.example ~all';
    const walk = await walkSpf(resolve, 'example.jp', record).finally(() => dns.close());
    expect(walk.lookups).toBe(5);
    expect(walk.voidLookups).toBe(1); // mx of example.jp does not exist
    expect(walk.ip4).toEqual(['198.51.100.1', '198.51.100.1']);
    expect(countLookups(record)).toBe(2);
    // §6.1: a redirect beside an all is never followed, so it costs nothing.
    expect(countLookups('v=spf1 mx -all redirect=_spf.example.jp')).toBe(1);
  });
});

describe('a record that authorises someone (issue 13 #15)', () => {
  it('needs a + mechanism other than all, or a redirect', () => {
    expect(authorisesSomeone('v=spf1 ~all')).toBe(false);
    expect(authorisesSomeone('v=spf1 -all')).toBe(false);
    expect(authorisesSomeone('v=spf1 -ip4:192.0.2.1 ~all')).toBe(false);
    expect(authorisesSomeone('v=spf1 ip4:192.0.2.1 ~all')).toBe(true);
    expect(authorisesSomeone('v=spf1 include:relay.example.test -all')).toBe(true);
    expect(authorisesSomeone('v=spf1 redirect=_spf.example.test')).toBe(true);
  });
});
