import { describe, expect, it } from 'vitest';
import { formatRoute53, formatZone, formatTable, planRecords, txtStrings, type ExistingRecords } from '../../../src/domains/records.js';
import { planIdentity, planKey } from '../../helpers/domain-fixtures.js';

const identity = planIdentity;
const key = planKey;

const none: ExistingRecords = { fromTxt: [], mailFromTxt: [], dmarcTxt: [] };

describe('planRecords', () => {
  it('lists DKIM, MAIL FROM MX and SPF, From-domain SPF and DMARC for a fresh domain', () => {
    const plan = planRecords({ identity, keys: [key], spfTerms: ['ip4:192.0.2.10'], bounceHost: 'mx.todoku.example', existing: none });
    expect(plan.records.map((r) => [r.purpose, r.type, r.name, r.value])).toEqual([
      ['dkim', 'TXT', 'todoku202601._domainkey.example.jp', `v=DKIM1; k=rsa; p=${key.publicKey}`],
      ['mail-from-mx', 'MX', 'bounce.example.jp', '10 mx.todoku.example'],
      ['mail-from-spf', 'TXT', 'bounce.example.jp', 'v=spf1 ip4:192.0.2.10 -all'],
      ['from-spf', 'TXT', 'example.jp', 'v=spf1 ip4:192.0.2.10 ~all'],
      ['dmarc', 'TXT', '_dmarc.example.jp', 'v=DMARC1; p=none; rua=mailto:dmarc-reports@example.jp'],
    ]);
    expect(plan.records.find((r) => r.purpose === 'dmarc')!.note).toMatch(/p=quarantine/);
    expect(plan.warnings).toEqual([]);
  });

  it('merges into the existing SPF record of the From domain instead of adding a second', () => {
    const existing = { ...none, fromTxt: ['google-site-verification=abc', 'v=spf1 include:_spf.google.com ~all'] };
    const plan = planRecords({ identity, keys: [key], spfTerms: ['ip4:192.0.2.10'], bounceHost: 'mx.todoku.example', existing });
    const spf = plan.records.filter((r) => r.name === 'example.jp');
    expect(spf).toHaveLength(1);
    expect(spf[0]).toMatchObject({ value: 'v=spf1 include:_spf.google.com ip4:192.0.2.10 ~all', replaces: 'v=spf1 include:_spf.google.com ~all' });
    // Route 53 UPSERT replaces the whole TXT set: the site verification must come along.
    const batch = JSON.parse(formatRoute53(plan, existing)) as { Changes: { ResourceRecordSet: { Name: string; Type: string; ResourceRecords: { Value: string }[] } }[] };
    const apex = batch.Changes.find((c) => c.ResourceRecordSet.Name === 'example.jp.' && c.ResourceRecordSet.Type === 'TXT')!;
    expect(apex.ResourceRecordSet.ResourceRecords.map((r) => r.Value)).toEqual([
      '"v=spf1 include:_spf.google.com ip4:192.0.2.10 ~all"',
      '"google-site-verification=abc"',
    ]);
  });

  it('warns past 10 DNS lookups and about two SPF records', () => {
    const includes = Array.from({ length: 10 }, (_, i) => `include:s${i}.example`).join(' ');
    const existing = { ...none, fromTxt: [`v=spf1 ${includes} ~all`, 'v=spf1 -all'] };
    const plan = planRecords({ identity, keys: [key], spfTerms: ['include:relay.example'], bounceHost: 'mx.todoku.example', existing });
    expect(plan.warnings.join('\n')).toMatch(/11 DNS lookups/);
    expect(plan.warnings.join('\n')).toMatch(/2 SPF records/);
  });

  it('says what to add when DNS could not be read, also with no sending IPs configured', () => {
    const unread = { fromTxt: undefined, mailFromTxt: [], dmarcTxt: [] };
    const plan = planRecords({ identity, keys: [key], spfTerms: [], bounceHost: 'mx.todoku.example', existing: unread });
    const warning = plan.warnings.find((w) => w.startsWith('Could not read'))!;
    expect(warning).not.toMatch(/add\s+to it/);
    expect(warning).toMatch(/set TODOKU_SENDING_IPS/);
    const withTerms = planRecords({ identity, keys: [key], spfTerms: ['ip4:192.0.2.10'], bounceHost: 'mx.todoku.example', existing: unread });
    expect(withTerms.warnings.join('\n')).toMatch(/add ip4:192\.0\.2\.10 to it/);
  });

  it('keeps an existing DMARC record and warns when no sending IPs are configured', () => {
    const plan = planRecords({ identity, keys: [key], spfTerms: [], bounceHost: 'mx.todoku.example', existing: { ...none, dmarcTxt: ['v=DMARC1; p=reject'] } });
    expect(plan.records.some((r) => r.purpose === 'dmarc')).toBe(false);
    expect(plan.warnings.join('\n')).toMatch(/TODOKU_SENDING_IPS is empty/);
    expect(plan.warnings.join('\n')).toMatch(/already has a DMARC record/);
  });
});

describe('formats', () => {
  it('splits long TXT values into 255-character strings in zone and Route 53 output', () => {
    const value = `v=DKIM1; k=rsa; p=${key.publicKey}`;
    expect(txtStrings(value).map((s) => s.length)).toEqual([255, value.length - 255]);
    const plan = planRecords({ identity, keys: [key], spfTerms: ['ip4:192.0.2.10'], bounceHost: 'mx.todoku.example', existing: none });
    const zone = formatZone(plan);
    expect(zone).toContain(`todoku202601._domainkey.example.jp. 3600 IN TXT ( "${value.slice(0, 255)}" "${value.slice(255)}" )`);
    expect(zone).toContain('bounce.example.jp. 3600 IN MX 10 mx.todoku.example.');
    expect(formatRoute53(plan)).toContain(`"\\"${value.slice(0, 255)}\\" \\"${value.slice(255)}\\""`);
    expect(formatTable(plan)).toMatch(/^PURPOSE\s+TYPE\s+NAME\s+VALUE/);
  });
});
