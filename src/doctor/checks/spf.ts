// SPF of the header-From domain (docomo, SoftBank: "送信ドメイン認証(Sender ID/SPF)について",
// "なりすましメールの拒否") and of the MAIL FROM domain (au: "送信ドメイン認証SPFレコード"; RFC 7208
// §2.4), evaluated with mailauth for every sending IP. CARRIERS.md: the sending IPs must pass for
// BOTH domains — an aligned custom MAIL FROM satisfies DMARC but not docomo or SoftBank.
import { isIP } from 'node:net';
import { spf } from 'mailauth/lib/spf/index.js';
import type { CheckContext, Finding, RecordFix } from '../types.js';
import { finding } from '../types.js';
import { answeringTxt, authorisesSomeone, fetchSpf, MAX_SPF_LOOKUPS, MAX_SPF_VOID_LOOKUPS, mergeSpf, parseSpf, walkSpf, type SpfTxt, type SpfWalk } from '../../dns/spf-record.js';
import { organizationalDomain } from '../alignment.js';

export type SpfRole = 'from' | 'mailfrom';

export interface IpResult {
  ip: string;
  /** RFC 7208 §2.6 results. */
  result: 'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'permerror' | 'temperror';
  comment?: string;
  /** Lookups mailauth made before it stopped (at the first match). */
  lookups?: number;
}

/** mailauth's evaluation of `domain` for each IP; `txtOverride` replaces the domain's TXT answer (Sender ID). */
export async function evaluateSpf(ctx: CheckContext, domain: string, txtOverride?: string[][]): Promise<IpResult[]> {
  const resolver = txtOverride ? answeringTxt(ctx.resolve, domain, txtOverride) : ctx.resolve;
  const results: IpResult[] = [];
  for (const ip of ctx.sendingIps) {
    const r = await spf({ sender: `postmaster@${domain}`, ip, helo: ctx.heloName ?? domain, mta: 'todoku-doctor', resolver });
    const result = r.status.result === 'temperr' ? 'temperror' : r.status.result;
    results.push({
      ip,
      result: result as IpResult['result'],
      ...(r.status.comment ? { comment: r.status.comment } : {}),
      ...(r.lookups ? { lookups: r.lookups.count } : {}),
    });
  }
  return results;
}

/** The terms that would authorise the IPs that did not pass: the --via include, else the IP itself. */
function missingTerms(ctx: CheckContext, failing: IpResult[]): string[] {
  const terms: string[] = [];
  for (const r of failing) {
    if (ctx.viaIps.includes(r.ip)) {
      for (const v of ctx.via) terms.push(`include:${v}`);
    } else {
      terms.push(`${isIP(r.ip) === 6 ? 'ip6' : 'ip4'}:${r.ip}`);
    }
  }
  return [...new Set(terms)];
}

/** A domain the team can publish records in (same organizational domain as From). */
export function isOurs(ctx: CheckContext, domain: string): boolean {
  return organizationalDomain(domain) === organizationalDomain(ctx.domain);
}

/**
 * The verdict for unlisted senders, as `todoku domain add` publishes it: a custom MAIL FROM
 * subdomain sends nothing else, so -all; the From domain may have other senders, so ~all.
 * Either way the listed IPs pass — docomo and SoftBank refuse softfail only for IPs not listed.
 */
function allFor(ctx: CheckContext, domain: string): '-all' | '~all' {
  const name = domain.toLowerCase();
  return name === ctx.mailFromDomain.toLowerCase() && name !== ctx.domain.toLowerCase() ? '-all' : '~all';
}

/** The one merged record that fixes `domain`, or undefined when nothing would change or it is not ours. */
export function spfFix(ctx: CheckContext, domain: string, txt: SpfTxt, walk: SpfWalk | undefined, results: IpResult[]): RecordFix | undefined {
  if (!isOurs(ctx, domain)) return undefined;
  const failing = results.filter((r) => r.result !== 'pass');
  const merged = mergeSpf(txt.records, missingTerms(ctx, failing), { remove: walk?.topLevelVoidTerms ?? [], all: allFor(ctx, domain) });
  if (merged.unchanged) return undefined;
  // A record to publish authorises at least one sender: with none known (no IP, a --via that
  // gave nothing) "v=spf1 ~all" would be proposed, which passes nobody (issue 13 #15).
  if (!authorisesSomeone(merged.record)) return undefined;
  return { name: domain, type: 'TXT', value: merged.record };
}

function describe(results: IpResult[]): string {
  return results.map((r) => `${r.ip}: ${r.result}`).join(', ');
}

export async function spfChecks(ctx: CheckContext, role: SpfRole, domain: string): Promise<Finding[]> {
  const id = (name: string) => `spf.${role}.${name}`;
  const label = role === 'from' ? 'header From' : 'MAIL FROM';
  const txt = await fetchSpf(ctx.resolve, domain);
  if (txt.dnsError) {
    const evidence = { domain, dnsError: txt.dnsError };
    const message = `could not read the TXT records of ${domain} (${txt.dnsError})`;
    return [finding(id('present'), 'error', message, evidence), finding(id('result'), 'error', message, evidence)];
  }

  const results = await evaluateSpf(ctx, domain);
  const walk = txt.records.length === 1 ? await walkSpf(ctx.resolve, domain) : undefined;
  const fix = spfFix(ctx, domain, txt, walk, results);
  const foreign = !isOurs(ctx, domain)
    ? ` ${domain} is not under ${ctx.domain}: publish a custom MAIL FROM subdomain of ${ctx.domain} instead.`
    : '';
  const out: Finding[] = [];

  // RFC 7208 §4.5: no v=spf1 record → result "none"; docomo and SoftBank treat that as spoofing.
  out.push(
    txt.records.length > 0
      ? finding(id('present'), 'pass', `${domain} publishes SPF`, { domain, records: txt.records })
      : finding(id('present'), 'fail', `${domain} (${label}) has no SPF record.${foreign}${fix || foreign ? '' : ` No record to propose: ${ctx.noSendingIp ?? 'no sender known'}.`}`, { domain, records: [] }, fix),
  );
  if (txt.records.length === 0) {
    out.push(finding(id('result'), ctx.sendingIps.length ? 'fail' : 'error', resultMessage(), { domain, results, ...noIpEvidence() }, fix));
    return out;
  }

  // RFC 7208 §4.5: more than one v=spf1 record is a permerror — merge, never add a second one.
  out.push(
    txt.records.length === 1
      ? finding(id('single'), 'pass', `${domain} has exactly one SPF record`, { domain, records: txt.records })
      : finding(id('single'), 'fail', `${domain} has ${txt.records.length} SPF records; receivers treat that as a permanent error (RFC 7208 §4.5). Merge them into one.`, { domain, records: txt.records }, fix),
  );

  const syntaxErrors = [...new Set([...txt.records.flatMap((r) => parseSpf(r).errors), ...(walk?.problems ?? [])])];
  out.push(
    syntaxErrors.length === 0
      ? finding(id('syntax'), 'pass', `the SPF record of ${domain} parses`, { domain })
      : finding(id('syntax'), 'fail', `the SPF record of ${domain} is invalid: ${syntaxErrors.join('; ')}`, { domain, errors: syntaxErrors }, fix),
  );

  out.push(finding(id('result'), resultStatus(), resultMessage(), { domain, record: txt.records[0], results, ...noIpEvidence() }, fix));

  if (walk) {
    const walkEvidence = { domain, lookups: walk.lookups, voidLookups: walk.voidLookups, path: walk.path, dnsErrors: walk.dnsErrors };
    // RFC 7208 §4.6.4: more than 10 DNS-querying terms → permerror.
    out.push(
      walk.lookups <= MAX_SPF_LOOKUPS
        ? finding(id('lookups'), 'pass', `${walk.lookups} DNS lookups (limit ${MAX_SPF_LOOKUPS})`, walkEvidence)
        : finding(id('lookups'), 'fail', `${domain} needs ${walk.lookups} DNS lookups; receivers stop at ${MAX_SPF_LOOKUPS} and return permerror (RFC 7208 §4.6.4). Replace includes with ip4: ranges or drop services you no longer use.`, walkEvidence),
    );
    // RFC 7208 §4.6.4: more than 2 lookups that return nothing → permerror.
    out.push(
      walk.voidLookups <= MAX_SPF_VOID_LOOKUPS
        ? finding(id('void'), 'pass', `${walk.voidLookups} void lookups (limit ${MAX_SPF_VOID_LOOKUPS})`, walkEvidence)
        : finding(id('void'), 'fail', `${walk.voidLookups} terms of ${domain}'s SPF point at names that do not exist; more than ${MAX_SPF_VOID_LOOKUPS} is a permerror (RFC 7208 §4.6.4). Remove: ${walk.path.flatMap((p) => p.voidTerms).join(', ')}.`, walkEvidence, fix),
    );

    const top = parseSpf(txt.records[0]!).terms;
    const all = top.find((t) => t.kind === 'mechanism' && t.name === 'all');
    const redirect = top.some((t) => t.name === 'redirect');
    if (all?.qualifier === '+') {
      out.push(finding(id('all'), 'fail', `${domain} ends with +all: every host on the Internet may send as ${domain}`, { domain, all: all.raw }, fix));
    } else if (all?.qualifier === '?') {
      out.push(finding(id('all'), 'warn', `${domain} ends with ?all: unlisted hosts are "neutral", not refused`, { domain, all: all.raw }, fix));
    } else if (!all && !redirect) {
      // RFC 7208 §4.7: no all and no redirect → neutral by default.
      out.push(finding(id('all'), 'warn', `${domain}'s SPF has no "all": unlisted hosts get "neutral"`, { domain }, fix));
    } else {
      out.push(finding(id('all'), 'pass', `${domain}'s SPF ends with ${all?.raw ?? 'a redirect'}`, { domain }));
    }

    // au: "the SPF record must be a TXT record listing IPv4 addresses" (送信ドメイン認証SPFレコード).
    const v4Senders = ctx.sendingIps.filter((ip) => isIP(ip) === 4);
    if (v4Senders.length > 0) {
      out.push(
        walk.ip4.length > 0
          ? finding(id('ip4'), 'pass', `${domain}'s SPF lists IPv4 ranges`, { domain, ip4: walk.ip4 })
          : finding(id('ip4'), 'warn', `${domain}'s SPF has no ip4: term anywhere; au expects IPv4 senders listed as ip4:`, { domain }),
      );
    }
  }
  return out;

  /** Marks a result that is open for want of an IP, not because the DNS failed (render.ts). */
  function noIpEvidence() {
    return ctx.sendingIps.length === 0 ? { noSendingIp: true } : {};
  }
  function resultStatus() {
    if (ctx.sendingIps.length === 0) return 'error' as const;
    if (results.some((r) => r.result === 'temperror')) return 'error' as const;
    return results.every((r) => r.result === 'pass') ? ('pass' as const) : ('fail' as const);
  }
  function resultMessage(): string {
    if (ctx.sendingIps.length === 0) return `not evaluated: ${ctx.noSendingIp ?? 'no sending IP to check with'}`;
    const bad = results.filter((r) => r.result !== 'pass');
    if (bad.length === 0) return `${domain} authorises every sending IP (${describe(results)})`;
    return `SPF of ${domain} (${label}) does not pass for ${describe(bad)}.${foreign}`;
  }
}
