// DMARC (RFC 7489): the policy record of the From domain (§6.6.3: the From domain, then its
// organizational domain), its tags (§6.3), and whether DMARC passes: SPF or DKIM passing with an
// identifier aligned to From (§3.1, §4.2). docomo applies p=quarantine/p=reject since 2025-02.
import type { CheckContext, Finding, RecordFix } from '../types.js';
import { finding } from '../types.js';
import { aligned, organizationalDomain } from '../alignment.js';
import { dnsErrorCode, isNoRecord } from '../../dns/resolver.js';

export type Policy = 'none' | 'quarantine' | 'reject';

export interface DmarcRecord {
  name: string;
  record: string;
  p: Policy;
  sp: Policy | undefined;
  /** The policy that applies to the From domain (sp when the record was found at the org domain). */
  effective: Policy;
  adkim: 'r' | 's';
  aspf: 'r' | 's';
  pct: number;
  rua: string[];
}

export interface DmarcLookup {
  found?: DmarcRecord;
  /** Records that look like DMARC but are not valid, with the reason. */
  malformed: { name: string; record: string; problem: string }[];
  multiple?: string[];
  dnsError?: string;
  /** The names asked. */
  names: string[];
}

const POLICIES = new Set(['none', 'quarantine', 'reject']);

export function parseDmarc(name: string, record: string, atOrg: boolean): DmarcRecord | { problem: string } {
  const parts = record.split(';').map((s) => s.trim()).filter((s) => s.length > 0);
  // §6.4: v=DMARC1 must be the first tag.
  if (parts[0]?.replace(/\s+/g, '') !== 'v=DMARC1') return { problem: 'the record must start with "v=DMARC1;"' };
  const tags = new Map<string, string>();
  for (const part of parts.slice(1)) {
    const eq = part.indexOf('=');
    if (eq < 0) return { problem: `"${part}" is not tag=value` };
    tags.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  const rua = (tags.get('rua') ?? '').split(',').map((s) => s.trim()).filter((s) => /^mailto:/i.test(s));
  let p = tags.get('p')?.toLowerCase();
  if (!p || !POLICIES.has(p)) {
    // §6.6.3: an absent or invalid p= with a valid rua is read as p=none; otherwise no policy.
    if (rua.length === 0) return { problem: p ? `p=${p} is not none, quarantine or reject` : 'p= is missing' };
    p = 'none';
  }
  const sp = tags.get('sp')?.toLowerCase();
  const mode = (v: string | undefined): 'r' | 's' => (v?.toLowerCase() === 's' ? 's' : 'r');
  const pct = Number(tags.get('pct') ?? '100');
  const spPolicy = sp && POLICIES.has(sp) ? (sp as Policy) : undefined;
  return {
    name,
    record,
    p: p as Policy,
    sp: spPolicy,
    effective: atOrg && spPolicy ? spPolicy : (p as Policy),
    adkim: mode(tags.get('adkim')),
    aspf: mode(tags.get('aspf')),
    pct: Number.isFinite(pct) ? pct : 100,
    rua,
  };
}

export async function readDmarc(ctx: CheckContext): Promise<DmarcLookup> {
  const org = organizationalDomain(ctx.domain);
  const candidates = [ctx.domain, ...(org !== ctx.domain ? [org] : [])];
  const lookup: DmarcLookup = { malformed: [], names: [] };
  for (const domain of candidates) {
    const name = `_dmarc.${domain}`;
    lookup.names.push(name);
    let rows: string[][];
    try {
      rows = (await ctx.resolve(name, 'TXT')) as string[][];
    } catch (err) {
      if (isNoRecord(err)) continue;
      lookup.dnsError = `${name}: ${dnsErrorCode(err)}`;
      return lookup;
    }
    const texts = rows.map((r) => r.join('').trim());
    const dmarcLike = texts.filter((t) => /dmarc1/i.test(t));
    const valid = dmarcLike.map((t) => ({ t, parsed: parseDmarc(name, t, domain !== ctx.domain) }));
    const good = valid.filter((v): v is { t: string; parsed: DmarcRecord } => !('problem' in v.parsed));
    for (const v of valid) if ('problem' in v.parsed) lookup.malformed.push({ name, record: v.t, problem: v.parsed.problem });
    if (good.length > 1) {
      // §6.6.3: more than one record → no DMARC policy.
      lookup.multiple = good.map((g) => g.t);
      return lookup;
    }
    if (good.length === 1) {
      lookup.found = good[0]!.parsed;
      return lookup;
    }
    if (dmarcLike.length > 0) return lookup; // malformed here; don't fall back past it
  }
  return lookup;
}

function suggested(ctx: CheckContext, lookup: DmarcLookup): RecordFix {
  const org = organizationalDomain(ctx.domain);
  const bad = lookup.malformed[0];
  // Keep the policy the owner asked for when it can be read from the broken record.
  const p = /p\s*=\s*(none|quarantine|reject)/i.exec(bad?.record ?? '')?.[1]?.toLowerCase() ?? 'none';
  const rua = /rua\s*=\s*(mailto:[^;\s]+)/i.exec(bad?.record ?? '')?.[1] ?? `mailto:dmarc-reports@${org}`;
  return { name: bad?.name ?? `_dmarc.${org}`, type: 'TXT', value: `v=DMARC1; p=${p}; rua=${rua}` };
}

export function dmarcRecordChecks(ctx: CheckContext, lookup: DmarcLookup): Finding[] {
  const evidence = { names: lookup.names };
  if (lookup.dnsError) return [finding('dmarc.record', 'error', `could not read the DMARC record (${lookup.dnsError})`, evidence)];
  if (lookup.multiple) {
    return [finding('dmarc.record', 'fail', `${lookup.multiple.length} DMARC records: receivers apply none (RFC 7489 §6.6.3). Keep one.`, { ...evidence, records: lookup.multiple }, suggested(ctx, lookup))];
  }
  const found = lookup.found;
  if (!found) {
    if (lookup.malformed.length > 0) {
      const m = lookup.malformed[0]!;
      return [finding('dmarc.record', 'fail', `${m.name} is malformed: ${m.problem}`, { ...evidence, malformed: lookup.malformed }, suggested(ctx, lookup))];
    }
    return [finding('dmarc.record', 'fail', `${ctx.domain} publishes no DMARC record`, evidence, suggested(ctx, lookup))];
  }
  const ev = { ...evidence, ...found };
  const out = [finding('dmarc.record', 'pass', `${found.name}: ${found.record}`, ev)];
  out.push(
    found.effective === 'none'
      ? finding('dmarc.policy', 'warn', `p=none: receivers only report; DMARC failures are delivered`, ev)
      : finding('dmarc.policy', 'pass', `policy ${found.effective}${found.pct < 100 ? ` on ${found.pct}% of failing mail` : ''}`, ev),
  );
  out.push(
    found.rua.length > 0
      ? finding('dmarc.rua', 'pass', `aggregate reports go to ${found.rua.join(', ')}`, ev)
      : finding('dmarc.rua', 'warn', `no rua= address: nobody sees the aggregate reports of who fails`, ev),
  );
  return out;
}

/**
 * §4.2: DMARC passes when SPF passes for an aligned MAIL FROM or a DKIM signature verifies
 * with an aligned d=. `spfPass`: the MAIL FROM domain passed for every sending IP.
 */
export function dmarcAlignmentCheck(
  ctx: CheckContext,
  lookup: DmarcLookup,
  spfPass: boolean,
  dkimPassing: { selector: string; domain: string }[],
  spfFix: RecordFix | undefined,
): Finding {
  const aspf = lookup.found?.aspf ?? 'r';
  const adkim = lookup.found?.adkim ?? 'r';
  const spfAligned = aligned(ctx.mailFromDomain, ctx.domain, aspf);
  const viaSpf = spfPass && spfAligned;
  const viaDkim = dkimPassing.filter((k) => aligned(k.domain, ctx.domain, adkim));
  const evidence = {
    from: ctx.domain,
    mailFrom: ctx.mailFromDomain,
    aspf,
    adkim,
    spf: { pass: spfPass, aligned: spfAligned },
    dkim: dkimPassing.map((k) => ({ ...k, aligned: aligned(k.domain, ctx.domain, adkim) })),
    policy: lookup.found?.effective ?? null,
  };
  if (viaSpf || viaDkim.length > 0) {
    const how = [viaSpf ? 'SPF' : '', viaDkim.length > 0 ? 'DKIM' : ''].filter(Boolean).join(' and ');
    return finding('dmarc.alignment', 'pass', `DMARC passes through aligned ${how}`, evidence);
  }
  const why = [
    !spfAligned ? `MAIL FROM ${ctx.mailFromDomain} is not aligned with ${ctx.domain}` : !spfPass ? `SPF of ${ctx.mailFromDomain} does not pass` : '',
    dkimPassing.length === 0 ? 'no DKIM signature verifies' : `DKIM d=${dkimPassing.map((k) => k.domain).join(',')} is not aligned`,
  ].filter(Boolean).join('; ');
  const policy = lookup.found?.effective;
  const consequence = policy === 'reject' ? ' — with p=reject, receivers that apply DMARC refuse this mail'
    : policy === 'quarantine' ? ' — with p=quarantine it goes to spam' : '';
  return finding('dmarc.alignment', 'fail', `DMARC fails: ${why}${consequence}`, evidence, spfAligned ? spfFix : undefined);
}
