// The DNS records an operator publishes for a sending identity, and their formats:
// a table, a BIND zone fragment, a Route 53 ChangeBatch, JSON.
import type { DkimKey, SendingDomain } from './model.js';
import { lookupTxt, type DnsResolve } from '../dns/resolver.js';
import { isSpfRecord, MAX_SPF_LOOKUPS, mergeSpf, walkSpf } from '../dns/spf-record.js';

export type RecordPurpose = 'dkim' | 'mail-from-mx' | 'mail-from-spf' | 'from-spf' | 'dmarc';

export interface DnsRecord {
  name: string;
  type: 'TXT' | 'MX';
  /** TXT: the whole logical string (split into ≤255-octet strings only by the formats). */
  value: string;
  purpose: RecordPurpose;
  /** Set when this record replaces one that is published now (a merged SPF record). */
  replaces?: string;
  note?: string;
}

export interface RecordPlan {
  records: DnsRecord[];
  warnings: string[];
}

/** What is already published at the names todoku writes to. */
export interface ExistingRecords {
  /** TXT at the From domain; undefined when DNS could not be read. */
  fromTxt: string[] | undefined;
  /** TXT at the MAIL FROM domain. */
  mailFromTxt: string[] | undefined;
  /** TXT at _dmarc.<domain>. */
  dmarcTxt: string[] | undefined;
  /**
   * Per name, the DNS lookups the SPF record todoku proposes there costs, counted through its
   * includes and redirects as receivers count them (RFC 7208 §4.6.4). Absent for a name whose
   * records could not be walked: the plan then counts the top level only.
   */
  spfLookups?: Record<string, number>;
}

export const NO_EXISTING: ExistingRecords = { fromTxt: [], mailFromTxt: [], dmarcTxt: [] };

/** `spfTerms`: the terms the plan adds (spfTermsFor(config.sendingIps)), so their includes are counted too. */
export async function readExisting(resolve: DnsResolve, identity: SendingDomain, spfTerms: string[] = []): Promise<ExistingRecords> {
  const read = async (name: string | null): Promise<string[] | undefined> => {
    if (name === null) return [];
    const r = await lookupTxt(resolve, name);
    return r.kind === 'found' ? r.values : r.kind === 'none' ? [] : undefined;
  };
  const [fromTxt, mailFromTxt, dmarcTxt] = await Promise.all([
    read(identity.domain),
    read(identity.mailFromDomain),
    read(`_dmarc.${identity.domain}`),
  ]);
  const spfLookups: Record<string, number> = {};
  const walks = [
    [identity.domain, fromTxt],
    [identity.mailFromDomain, mailFromTxt],
  ] as const;
  await Promise.all(
    walks.map(async ([name, txt]) => {
      if (name === null || txt === undefined) return;
      const proposed = mergeSpf(txt.filter(isSpfRecord), spfTerms).record;
      const walk = await walkSpf(resolve, name, proposed);
      if (walk.dnsErrors.length === 0) spfLookups[name] = walk.lookups;
    }),
  );
  return { fromTxt, mailFromTxt, dmarcTxt, spfLookups };
}

export function dkimRecordName(key: Pick<DkimKey, 'selector' | 'domain'>): string {
  return `${key.selector}._domainkey.${key.domain}`;
}

/** RFC 6376 §3.6.1 / RFC 8463 §4.2: the key record. */
export function dkimRecordValue(key: Pick<DkimKey, 'algorithm' | 'publicKey'>): string {
  return `v=DKIM1; k=${key.algorithm}; p=${key.publicKey}`;
}

export interface PlanInput {
  identity: SendingDomain;
  /** Keys whose records must be published (every key not retired). */
  keys: DkimKey[];
  /** SPF terms authorising todoku's senders (spfTermsFor(config.sendingIps)). */
  spfTerms: string[];
  /** Host that receives bounces for the MAIL FROM domain (its MX target). */
  bounceHost: string;
  existing: ExistingRecords;
}

function spfRecordFor(
  name: string,
  purpose: 'from-spf' | 'mail-from-spf',
  existing: ExistingRecords,
  terms: string[],
  all: '-all' | '~all',
  warnings: string[],
): DnsRecord {
  const existingTxt = purpose === 'from-spf' ? existing.fromTxt : existing.mailFromTxt;
  if (existingTxt === undefined) {
    const what = terms.length > 0 ? terms.join(' ') : "the terms for todoku's sending IPs (set TODOKU_SENDING_IPS first)";
    warnings.push(`Could not read the TXT records of ${name}: if it already has an SPF record, add ${what} to it instead of publishing a second one.`);
  }
  const spf = (existingTxt ?? []).filter(isSpfRecord);
  if (spf.length > 1) {
    warnings.push(`${name} has ${spf.length} SPF records, which makes SPF fail for every sender (RFC 7208 §3.2: permerror); merge them into the one below and delete the rest.`);
  }
  const merged = mergeSpf(spf, terms, { all });
  const walked = existing.spfLookups?.[name];
  const lookups = walked ?? merged.lookups;
  const counted = walked === undefined ? 'at its top level; includes inside includes count too' : 'counting those inside its includes';
  if (lookups > MAX_SPF_LOOKUPS) {
    warnings.push(
      `The SPF record of ${name} would need ${lookups} DNS lookups (more than ${MAX_SPF_LOOKUPS}, ${counted}): receivers answer permerror and every SPF check fails. Replace include: terms with ip4:/ip6: ranges or drop unused ones.`,
    );
  } else if (lookups > MAX_SPF_LOOKUPS - 2) {
    warnings.push(`The SPF record of ${name} uses ${lookups} of ${MAX_SPF_LOOKUPS} DNS lookups (${counted}).`);
  }
  const current = spf[0];
  if (current === undefined) return { name, type: 'TXT', value: merged.record, purpose };
  if (merged.unchanged) return { name, type: 'TXT', value: current, purpose, note: 'already published; nothing to change' };
  return { name, type: 'TXT', value: merged.record, purpose, replaces: current, note: 'replaces the existing SPF record (one SPF record per name)' };
}

export function planRecords(input: PlanInput): RecordPlan {
  const { identity, keys, spfTerms, bounceHost, existing } = input;
  const records: DnsRecord[] = [];
  const warnings: string[] = [];

  for (const key of keys) {
    records.push({ name: dkimRecordName(key), type: 'TXT', value: dkimRecordValue(key), purpose: 'dkim' });
  }

  if (spfTerms.length === 0) {
    warnings.push('TODOKU_SENDING_IPS is empty: the SPF records below authorise nobody. Set it to the IPs todoku sends from (or include:<your relay>) and print the records again.');
  }

  if (identity.mailFromDomain !== null) {
    // SES's custom MAIL FROM: an MX so bounces come back, and SPF for the envelope domain
    // (au checks the envelope From; DMARC aligns it with From in relaxed mode, RFC 7489 §3.1.2).
    records.push({ name: identity.mailFromDomain, type: 'MX', value: `10 ${bounceHost}`, purpose: 'mail-from-mx' });
    // The MAIL FROM subdomain sends nothing else, so its record can end in -all.
    records.push(spfRecordFor(identity.mailFromDomain, 'mail-from-spf', existing, spfTerms, '-all', warnings));
  }

  // The record SES set-ups forget: docomo and SoftBank check SPF of the header-From domain,
  // au's high filter the PRA (CARRIERS.md). ~all leaves room for the domain's other senders.
  records.push(spfRecordFor(identity.domain, 'from-spf', existing, spfTerms, '~all', warnings));

  const dmarcName = `_dmarc.${identity.domain}`;
  const dmarc = (existing.dmarcTxt ?? []).filter((t) => /^v=DMARC1(\s|;|$)/i.test(t.trim()));
  if (dmarc.length > 0) {
    warnings.push(`${dmarcName} already has a DMARC record (${dmarc[0]}); keep it — todoku's mail is aligned through DKIM d=${identity.domain}.`);
  } else {
    records.push({
      name: dmarcName,
      type: 'TXT',
      value: `v=DMARC1; p=none; rua=mailto:dmarc-reports@${identity.domain}`,
      purpose: 'dmarc',
      note:
        'Start at p=none and read the aggregate reports. When they show all your legitimate mail passing DKIM or SPF aligned for 2–4 weeks, move to p=quarantine, then p=reject (docomo sends p=quarantine failures to a spam folder and refuses p=reject failures since 2025-02).',
    });
  }
  return { records, warnings };
}

/** RFC 1035 §3.3: a character-string is at most 255 octets; long TXT values are several. */
export function txtStrings(value: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < value.length; i += 255) out.push(value.slice(i, i + 255));
  return out.length === 0 ? [''] : out;
}

function quoted(value: string): string {
  return txtStrings(value)
    .map((s) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`)
    .join(' ');
}

export type RecordFormat = 'table' | 'zone' | 'route53' | 'json';

export const RECORD_FORMATS: RecordFormat[] = ['table', 'zone', 'route53', 'json'];

export function formatZone(plan: RecordPlan, ttlSeconds = 3600): string {
  const lines = plan.warnings.map((w) => `; WARNING: ${w}`);
  for (const r of plan.records) {
    lines.push(`; ${r.purpose}${r.note ? ` — ${r.note}` : ''}`);
    const rdata = r.type === 'TXT' ? `( ${quoted(r.value)} )` : `${r.value.replace(/\.?$/, '.')}`;
    lines.push(`${r.name}. ${ttlSeconds} IN ${r.type} ${rdata}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * Route 53 ChangeBatch for `aws route53 change-resource-record-sets`. UPSERT replaces the
 * whole record set of a name and type, so other TXT values already at that name (site
 * verifications…) are carried along rather than deleted.
 */
export function formatRoute53(plan: RecordPlan, existing: ExistingRecords = NO_EXISTING, ttlSeconds = 3600): string {
  const byName = new Map<string, { name: string; type: string; values: string[] }>();
  for (const r of plan.records) {
    const key = `${r.name} ${r.type}`;
    const set = byName.get(key) ?? { name: r.name, type: r.type, values: [] };
    set.values.push(r.type === 'TXT' ? quoted(r.value) : r.value);
    byName.set(key, set);
  }
  const keep = (name: string, txt: string[] | undefined, replaced: (t: string) => boolean) => {
    const set = byName.get(`${name} TXT`);
    if (!set || !txt) return;
    for (const t of txt) if (!replaced(t)) set.values.push(quoted(t));
  };
  const anyIdentity = plan.records.find((r) => r.purpose === 'from-spf');
  if (anyIdentity) keep(anyIdentity.name, existing.fromTxt, isSpfRecord);
  const mailFrom = plan.records.find((r) => r.purpose === 'mail-from-spf');
  if (mailFrom) keep(mailFrom.name, existing.mailFromTxt, isSpfRecord);
  const changeBatch = {
    Comment: 'todoku sending identity' + (plan.warnings.length ? ` (${plan.warnings.length} warning(s): see todoku domain verify)` : ''),
    Changes: [...byName.values()].map((s) => ({
      Action: 'UPSERT',
      ResourceRecordSet: { Name: `${s.name}.`, Type: s.type, TTL: ttlSeconds, ResourceRecords: s.values.map((Value) => ({ Value })) },
    })),
  };
  return JSON.stringify(changeBatch, null, 2) + '\n';
}

export function formatTable(plan: RecordPlan): string {
  const rows = plan.records.map((r) => [r.purpose, r.type, r.name, r.value]);
  const header = ['PURPOSE', 'TYPE', 'NAME', 'VALUE'];
  const widths = [0, 1, 2].map((i) => Math.max(header[i]!.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c)).join('  ');
  const out = [line(header), ...rows.map(line)];
  for (const r of plan.records) if (r.note) out.push(`\n${r.purpose} (${r.name}): ${r.note}`);
  for (const w of plan.warnings) out.push(`\nWARNING: ${w}`);
  return out.join('\n') + '\n';
}

export function formatRecords(plan: RecordPlan, format: RecordFormat, existing?: ExistingRecords): string {
  switch (format) {
    case 'zone':
      return formatZone(plan);
    case 'route53':
      return formatRoute53(plan, existing);
    case 'json':
      return JSON.stringify(plan, null, 2) + '\n';
    default:
      return formatTable(plan);
  }
}
