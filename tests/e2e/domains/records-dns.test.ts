// planRecords over what readExisting finds in DNS (a loopback authoritative server): the SPF
// lookup count includes the lookups inside includes. The plan's pure rules are in
// tests/unit/domains/records.test.ts.
import { describe, expect, it } from 'vitest';
import { planRecords, readExisting } from '../../../src/domains/records.js';
import { createResolver } from '../../../src/dns/resolver.js';
import { startDnsServer } from '../../helpers/dns-server.js';
import { planIdentity, planKey } from '../../helpers/domain-fixtures.js';

const identity = planIdentity;
const key = planKey;

describe('planRecords', () => {
  it('counts DNS lookups inside includes when DNS can be read (RFC 7208 §4.6.4)', async () => {
    // Four top-level includes, each pulling in two more: 4 + 8 = 12 lookups, plus the relay's own.
    const dns = await startDnsServer();
    dns.zone.set('example.jp', 'TXT', ['v=spf1 include:s0.example include:s1.example include:s2.example include:s3.example ~all']);
    for (let i = 0; i < 4; i++) {
      dns.zone.set(`s${i}.example`, 'TXT', [`v=spf1 include:n${i}a.example include:n${i}b.example -all`]);
      for (const x of ['a', 'b']) dns.zone.set(`n${i}${x}.example`, 'TXT', [`v=spf1 ip4:198.51.100.${i} -all`]);
    }
    dns.zone.set('relay.example', 'TXT', ['v=spf1 ip4:203.0.113.0/24 -all']);
    const resolve = createResolver({ servers: [dns.server], timeoutMs: 500, tries: 1 });
    const existing = await readExisting(resolve, identity, ['include:relay.example']).finally(() => dns.close());
    expect(existing.spfLookups).toEqual({ 'example.jp': 13, 'bounce.example.jp': 1 });
    const plan = planRecords({ identity, keys: [key], spfTerms: ['include:relay.example'], bounceHost: 'mx.todoku.example', existing });
    expect(plan.warnings).toEqual([expect.stringMatching(/^The SPF record of example\.jp would need 13 DNS lookups \(more than 10, counting those inside its includes\)/)]);
    // Without DNS the plan counts the top level only and says so.
    const pure = planRecords({ identity, keys: [key], spfTerms: ['include:relay.example'], bounceHost: 'mx.todoku.example', existing: { ...existing, spfLookups: undefined } });
    expect(pure.warnings).toEqual([]);
  });

});
