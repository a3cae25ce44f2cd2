// SPF records (RFC 7208) as data, the one place todoku knows them: parse (§4.6, §5, §6),
// detect (§4.5), turn TODOKU_SENDING_IPS into terms, walk the DNS to count lookups (§4.6.4) and
// merge additions into the one record a name may publish (§3.2). It lives under dns/, next to
// the resolver, because both the sending-identity records (domains/) and the doctor (doctor/)
// need it and neither should reach into the other's internals; it depends on nothing but the
// resolver. mailauth evaluates a record for one IP and stops at the first match; the walk here
// visits every term, so it reports the worst case a receiver may meet.
import type { DnsResolve } from './resolver.js';
import { dnsErrorCode, isNoRecord } from './resolver.js';
import { isIP } from 'node:net';

/** §4.6.4: more DNS-querying terms than this → permerror. */
export const MAX_SPF_LOOKUPS = 10;
/** §4.6.4: more lookups that return nothing than this → permerror. */
export const MAX_SPF_VOID_LOOKUPS = 2;
/** §4.6.4: an mx mechanism may look up at most this many MX names' addresses. */
export const MAX_SPF_MX_NAMES = 10;

export type Qualifier = '+' | '-' | '~' | '?';

export interface SpfTerm {
  raw: string;
  kind: 'mechanism' | 'modifier';
  /** Mechanism or modifier name, lower-case. */
  name: string;
  qualifier: Qualifier;
  /** What follows ':' (mechanisms) or '=' (modifiers), '' when absent; a bare "/cidr" is kept. */
  value: string;
}

const MECHANISMS = new Set(['all', 'include', 'a', 'mx', 'ptr', 'ip4', 'ip6', 'exists']);
/** §4.6.4: the terms that cost a DNS lookup. */
const LOOKUP_TERMS = new Set(['include', 'a', 'mx', 'ptr', 'exists', 'redirect']);

export function isSpfRecord(txt: string): boolean {
  // §4.5: exactly "v=spf1" followed by a space or the end.
  return /^v=spf1(\s|$)/i.test(txt.trim());
}

/** A term's identity for de-duplication: case-insensitive, `+` being the default qualifier (§4.6.2). */
function termKey(term: string): string {
  return term.replace(/^\+/, '').toLowerCase();
}

/** §4.6.4: the mechanisms and `redirect=` cost a lookup; §6.1: a redirect beside an `all` is never followed. */
function costsLookup(term: SpfTerm, hasAll: boolean): boolean {
  if (!LOOKUP_TERMS.has(term.name)) return false;
  if (term.kind === 'modifier') return term.name === 'redirect' && !hasAll;
  return true;
}

function hasAllMechanism(terms: SpfTerm[]): boolean {
  return terms.some((t) => t.kind === 'mechanism' && t.name === 'all');
}

const MECHANISM_PREFIX = /^(include|ip4|ip6|a|mx|exists|ptr):/i;

/**
 * Turns TODOKU_SENDING_IPS entries into SPF terms: an IPv4/IPv6 address or CIDR becomes
 * ip4:/ip6:, an explicit mechanism (`include:relay.example`) is kept, a bare domain name
 * becomes include: (a relay's published SPF).
 */
export function spfTermsFor(sendingIps: string[]): string[] {
  const terms: string[] = [];
  for (const raw of sendingIps) {
    const entry = raw.trim();
    if (entry === '') continue;
    const address = entry.split('/')[0]!;
    let term: string;
    if (isIP(address) === 4) term = `ip4:${entry}`;
    else if (isIP(address) === 6) term = `ip6:${entry.toLowerCase()}`;
    else if (MECHANISM_PREFIX.test(entry)) term = entry.replace(MECHANISM_PREFIX, (m) => m.toLowerCase());
    else term = `include:${entry.toLowerCase()}`;
    if (!terms.some((t) => termKey(t) === termKey(term))) terms.push(term);
  }
  return terms;
}

// RFC 7208 §7.1: macro-expand = "%{" macro-letter transformers *delimiter "}" / "%%" / "%_" / "%-".
// c, r and t may appear only in an explanation string (exp= TXT), never in a domain-spec (§7.3).
const MACRO_EXPAND = /^(?:%\{[slodiphv]\d*r?[.\-+,/_=]*\}|%%|%_|%-)/i;
// §4.6.1 / §7.1: toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum ).
const TOPLABEL = /^(?:[a-z0-9]*[a-z][a-z0-9]*|[a-z0-9]+-[a-z0-9-]*[a-z0-9])$/i;

/**
 * Why `value` is not a macro-string (§7.1: macro-expand / macro-literal, %x21-24 / %x26-7E),
 * or undefined; `endsWithMacro` tells whether the last element was a macro-expand.
 */
function macroStringProblem(value: string): { problem?: string; endsWithMacro: boolean } {
  let endsWithMacro = false;
  for (let i = 0; i < value.length; ) {
    if (value[i] === '%') {
      const m = MACRO_EXPAND.exec(value.slice(i));
      if (!m) return { problem: `invalid macro at "${value.slice(i, i + 6)}" (RFC 7208 §7.1)`, endsWithMacro };
      i += m[0].length;
      endsWithMacro = m[0].startsWith('%{');
      continue;
    }
    const code = value.charCodeAt(i);
    if (code < 0x21 || code > 0x7e) return { problem: `character U+${code.toString(16).padStart(4, '0').toUpperCase()} is not allowed (RFC 7208 §7.1)`, endsWithMacro };
    endsWithMacro = false;
    i++;
  }
  return { endsWithMacro };
}

/** §7.1: domain-spec = macro-string domain-end; domain-end = ( "." toplabel [ "." ] ) / macro-expand. */
function domainSpecProblem(spec: string): string | undefined {
  const { problem, endsWithMacro } = macroStringProblem(spec);
  if (problem) return problem;
  if (endsWithMacro) return undefined;
  const name = spec.endsWith('.') ? spec.slice(0, -1) : spec;
  const dot = name.lastIndexOf('.');
  const toplabel = name.slice(dot + 1);
  if (dot < 0 || !TOPLABEL.test(toplabel)) return `"${spec}" does not end in a valid top label (RFC 7208 §4.6.1)`;
  return undefined;
}

/** §5.6: ip4-cidr-length = "/" ("0" / %x31-39 0*1DIGIT), ≤ 32; ip6-cidr-length likewise with 0*2DIGIT, ≤ 128. */
function cidrOk(digits: string, family: 4 | 6): boolean {
  return (family === 4 ? /^(0|[1-9]\d?)$/ : /^(0|[1-9]\d{0,2})$/).test(digits) && Number(digits) <= (family === 4 ? 32 : 128);
}

/** The domain-spec and the trailing dual-cidr-length of an a/mx value ("foo:bar/baz.example.com" has none). */
function splitDualCidr(value: string): { spec: string; cidr: string } {
  const cidr = /(?:\/\d+)?(?:\/\/\d+)?$/.exec(value)?.[0] ?? '';
  return { spec: value.slice(0, value.length - cidr.length), cidr };
}

/** §5.3/§5.4: a and mx take [domain-spec] [ip4-cidr-length] ["/" ip6-cidr-length]. */
function dualCidrProblem(cidr: string): string | undefined {
  const m = /^(?:\/(\d+))?(?:\/\/(\d+))?$/.exec(cidr);
  if (!m || (m[1] !== undefined && !cidrOk(m[1], 4)) || (m[2] !== undefined && !cidrOk(m[2], 6))) return `invalid prefix length "${cidr}" (RFC 7208 §5.6)`;
  return undefined;
}

export function parseSpf(record: string): { terms: SpfTerm[]; errors: string[] } {
  const errors: string[] = [];
  const terms: SpfTerm[] = [];
  const parts = record.trim().split(/\s+/).slice(1);
  for (const raw of parts) {
    const modifier = /^([a-z][a-z0-9_.-]*)=(.*)$/i.exec(raw);
    if (modifier) {
      const name = modifier[1]!.toLowerCase();
      const value = modifier[2] ?? '';
      if (value === '' && (name === 'redirect' || name === 'exp')) errors.push(`"${raw}" has no domain`);
      else if (name === 'redirect' || name === 'exp') {
        // §6.1, §6.2: the target is a domain-spec.
        const problem = domainSpecProblem(value);
        if (problem) errors.push(`"${raw}": ${problem}`);
      } else {
        // §6: unknown-modifier = name "=" macro-string (ignored, but it must parse).
        const { problem } = macroStringProblem(value);
        if (problem) errors.push(`"${raw}": ${problem}`);
      }
      if ((name === 'redirect' || name === 'exp') && terms.some((t) => t.name === name)) {
        errors.push(`"${name}=" appears more than once (RFC 7208 §6)`);
      }
      terms.push({ raw, kind: 'modifier', name, qualifier: '+', value });
      continue;
    }
    let rest = raw;
    let qualifier: Qualifier = '+';
    if (/^[+\-~?]/.test(rest)) {
      qualifier = rest[0] as Qualifier;
      rest = rest.slice(1);
    }
    const m = /^([a-z0-9]+)(?::(.*)|(\/.*))?$/is.exec(rest);
    const name = m?.[1]?.toLowerCase();
    if (!m || !name || !MECHANISMS.has(name)) {
      errors.push(`unknown term "${raw}"`);
      continue;
    }
    const value = m[2] ?? m[3] ?? '';
    if (m[2] === '') errors.push(`"${raw}" has an empty value`);
    if (name === 'all' && value) errors.push(`"${raw}": all takes no value`);
    if ((name === 'include' || name === 'exists') && !value) errors.push(`"${raw}" needs a domain`);
    if (name === 'ip4' || name === 'ip6') {
      const [addr, cidr] = value.split('/');
      const family = name === 'ip4' ? 4 : 6;
      if (!addr || isIP(addr) !== family) errors.push(`"${raw}" is not a valid IPv${family} address`);
      if (cidr !== undefined && !cidrOk(cidr, family)) errors.push(`"${raw}" has an invalid prefix length`);
    } else if (name !== 'all' && value) {
      // §5.2, §5.5, §5.7: include, ptr and exists take a domain-spec only; §5.3, §5.4: a and mx
      // a domain-spec and/or a dual-cidr-length.
      const { spec, cidr } = name === 'a' || name === 'mx' ? splitDualCidr(value) : { spec: value, cidr: '' };
      const problem = (spec !== '' ? domainSpecProblem(spec) : undefined) ?? (cidr ? dualCidrProblem(cidr) : undefined);
      if (problem) errors.push(`"${raw}": ${problem}`);
    }
    terms.push({ raw, kind: 'mechanism', name, qualifier, value });
  }
  return { terms, errors };
}

/**
 * DNS-querying terms at the record's top level (§4.6.4), includes not followed: the count
 * when DNS cannot be read. walkSpf counts through includes, as receivers do.
 */
export function countLookups(record: string): number {
  const { terms } = parseSpf(record);
  const hasAll = hasAllMechanism(terms);
  return terms.filter((t) => costsLookup(t, hasAll)).length;
}

/** True when every term appears in the record with qualifier `+` (or none). */
export function authorisesAll(record: string, terms: string[]): boolean {
  const present = new Set(parseSpf(record).terms.map((t) => termKey(t.raw)));
  return terms.every((t) => present.has(termKey(t)));
}

/**
 * True when the record can pass some sender: a mechanism other than `all` with the `+`
 * qualifier (RFC 7208 §4.6.2: only a matching `+` mechanism gives "pass"), or a redirect
 * (§6.1: the target's record decides). `v=spf1 ~all` passes nobody — a record to publish must
 * never be that (issue 13 #15).
 */
export function authorisesSomeone(record: string): boolean {
  return parseSpf(record).terms.some(
    (t) => (t.kind === 'mechanism' && t.name !== 'all' && t.qualifier === '+') || (t.kind === 'modifier' && t.name === 'redirect'),
  );
}

/** `resolve`, except that the TXT question for `domain` gets `rows` (a record not published yet). */
export function answeringTxt(resolve: DnsResolve, domain: string, rows: string[][]): DnsResolve {
  return (name, rrtype) =>
    name.toLowerCase() === domain.toLowerCase() && rrtype.toUpperCase() === 'TXT' ? Promise.resolve(rows) : resolve(name, rrtype);
}

export interface SpfTxt {
  /** All v=spf1 records at the name (more than one is a permerror, RFC 7208 §4.5). */
  records: string[];
  /** Set when the lookup itself failed (not "no record"). */
  dnsError?: string;
  /** NXDOMAIN or no TXT at all. */
  void: boolean;
}

export async function fetchSpf(resolve: DnsResolve, domain: string): Promise<SpfTxt> {
  try {
    const rows = (await resolve(domain, 'TXT')) as string[][];
    // §3.3: a record split into several character-strings is joined without spaces.
    const records = rows.map((chunks) => chunks.join('')).filter(isSpfRecord);
    return { records, void: rows.length === 0 };
  } catch (err) {
    if (isNoRecord(err)) return { records: [], void: true };
    return { records: [], void: false, dnsError: dnsErrorCode(err) };
  }
}

export interface SpfWalk {
  /** DNS-querying terms (§4.6.4 limit: 10), counted through includes and redirects. */
  lookups: number;
  /** Lookups that returned no records (§4.6.4 limit: 2). */
  voidLookups: number;
  /** Each record visited and the terms that cost a lookup. */
  path: { domain: string; record: string | null; via: string; lookupTerms: string[]; voidTerms: string[] }[];
  /** Terms of the top-level record whose lookup was void (removing them is part of the fix). */
  topLevelVoidTerms: string[];
  /** ip4: terms found anywhere in the tree, in order. */
  ip4: string[];
  ip6: string[];
  /** Problems that make the record a permerror wherever they are met. */
  problems: string[];
  /** DNS failures met on the way (ETIMEOUT, ESERVFAIL…). */
  dnsErrors: string[];
}

// Stop descending once the count is clearly over the limit or a loop is found.
const WALK_CAP = 30;

/** Walks the SPF of `domain` — or `record` as if `domain` published it (a record about to be proposed). */
export async function walkSpf(dns: DnsResolve, domain: string, record?: string): Promise<SpfWalk> {
  const resolve = record === undefined ? dns : answeringTxt(dns, domain, [[record]]);
  const walk: SpfWalk = { lookups: 0, voidLookups: 0, path: [], topLevelVoidTerms: [], ip4: [], ip6: [], problems: [], dnsErrors: [] };
  const visiting = new Set<string>();

  /** How many records the first of `types` that has any returns (0: void), or 'error'. */
  async function answers(name: string, types: string[]): Promise<number | 'error'> {
    for (const type of types) {
      try {
        const answer = await resolve(name, type);
        if (answer.length > 0) return answer.length;
      } catch (err) {
        if (!isNoRecord(err)) {
          walk.dnsErrors.push(`${name} ${type}: ${dnsErrorCode(err)}`);
          return 'error';
        }
      }
    }
    return 0;
  }

  /** Returns true when the record's own lookup was void. */
  async function visit(name: string, via: string, top: boolean): Promise<boolean> {
    const key = name.toLowerCase();
    if (visiting.has(key)) {
      walk.problems.push(`${name} includes itself (loop)`);
      return false;
    }
    visiting.add(key);
    const txt = await fetchSpf(resolve, name);
    if (txt.dnsError) walk.dnsErrors.push(`${name} TXT: ${txt.dnsError}`);
    const node = { domain: name, record: txt.records[0] ?? null, via, lookupTerms: [] as string[], voidTerms: [] as string[] };
    walk.path.push(node);
    if (!top && txt.void) {
      walk.voidLookups++;
      node.voidTerms.push(via);
    }
    if (txt.records.length !== 1) {
      if (!top && !txt.dnsError) {
        // §5.2: an include or redirect target without exactly one record is a permerror.
        walk.problems.push(txt.records.length === 0 ? `${via}: ${name} has no SPF record` : `${via}: ${name} has ${txt.records.length} SPF records`);
      }
      visiting.delete(key);
      return txt.void;
    }
    const { terms, errors } = parseSpf(txt.records[0]!);
    for (const e of errors) walk.problems.push(`${name}: ${e}`);
    const hasAll = hasAllMechanism(terms);
    for (const term of terms) {
      if (term.name === 'ip4') walk.ip4.push(term.value);
      if (term.name === 'ip6') walk.ip6.push(term.value);
      if (!costsLookup(term, hasAll)) continue;
      walk.lookups++;
      node.lookupTerms.push(term.raw);
      if (walk.lookups > WALK_CAP) break;
      const target = (term.name === 'a' || term.name === 'mx' ? splitDualCidr(term.value).spec : term.value) || name;
      if (target.includes('%')) continue; // macros depend on the message; counted, not resolved
      let isVoid = false;
      if (term.name === 'include' || term.name === 'redirect') {
        isVoid = await visit(target, term.raw, false);
      } else if (term.name === 'a') {
        isVoid = (await answers(target, ['A', 'AAAA'])) === 0;
      } else if (term.name === 'mx') {
        const mx = await answers(target, ['MX']);
        isVoid = mx === 0;
        // §4.6.4: an mx mechanism that finds more than 10 MX records is a permerror.
        if (typeof mx === 'number' && mx > MAX_SPF_MX_NAMES) walk.problems.push(`${term.raw}: ${target} has ${mx} MX records, more than ${MAX_SPF_MX_NAMES} (RFC 7208 §4.6.4)`);
      } else if (term.name === 'exists') {
        isVoid = (await answers(target, ['A'])) === 0;
      }
      // ptr costs a lookup but what it finds depends on the connecting IP (and §5.5 says not to use it).
      if (isVoid && term.name !== 'include' && term.name !== 'redirect') {
        walk.voidLookups++;
        node.voidTerms.push(term.raw);
      }
      if (isVoid && top) walk.topLevelVoidTerms.push(term.raw);
    }
    visiting.delete(key);
    return false;
  }

  await visit(domain, '(top)', true);
  return walk;
}

export interface SpfMerge {
  /** The one record to publish. */
  record: string;
  /** Terms of `add` that no existing record had. */
  added: string[];
  /** countLookups(record): the top level only. */
  lookups: number;
  /** There was exactly one record and it already reads `record`: nothing to publish. */
  unchanged: boolean;
}

export interface SpfMergeOptions {
  /** Terms to drop (the doctor's void lookups). */
  remove?: string[];
  /**
   * The verdict for unlisted senders when the record has no `all`, or one that authorises
   * anyone (`+all`) or says nothing (`?all`). An existing `-all`/`~all` is the owner's choice
   * and stays. Default `~all`.
   */
  all?: '-all' | '~all';
}

/**
 * The one record to publish (§3.2: a domain MUST NOT have more than one): every term of the
 * existing record(s) kept in order, `remove` dropped, the missing `add` terms inserted before
 * `all` so they are evaluated before the verdict for everyone else; unknown terms (a permerror
 * wherever they are, §4.6) are not carried over.
 */
export function mergeSpf(existing: string | string[], add: string[], options: SpfMergeOptions = {}): SpfMerge {
  const records = typeof existing === 'string' ? [existing] : existing;
  const drop = new Set((options.remove ?? []).map(termKey));
  const seen = new Set<string>();
  const mechanisms: string[] = [];
  const modifiers: string[] = [];
  const added: string[] = [];
  let all: SpfTerm | undefined;
  let redirect = false;
  for (const record of records) {
    for (const term of parseSpf(record).terms) {
      const key = termKey(term.raw);
      if (drop.has(key) || seen.has(key)) continue;
      seen.add(key);
      if (term.kind === 'mechanism' && term.name === 'all') {
        all ??= term;
        continue;
      }
      if (term.kind === 'modifier') {
        if (term.name === 'redirect') {
          if (redirect) continue;
          redirect = true;
        }
        modifiers.push(term.raw);
      } else {
        mechanisms.push(term.raw);
      }
    }
  }
  for (const term of add) {
    if (seen.has(termKey(term))) continue;
    seen.add(termKey(term));
    mechanisms.push(term);
    added.push(term);
  }
  const fallback = options.all ?? '~all';
  let allTerm: string[] = [];
  if (all) allTerm = [all.qualifier === '-' ? '-all' : all.qualifier === '~' ? '~all' : fallback];
  else if (!redirect) allTerm = [fallback];
  // A redirect only applies without an "all" (§6.1); when both would exist the redirect goes.
  const mods = allTerm.length > 0 ? modifiers.filter((m) => !/^redirect=/i.test(m)) : modifiers;
  const record = ['v=spf1', ...mechanisms, ...allTerm, ...mods].join(' ');
  const unchanged = records.length === 1 && records[0]!.trim().replace(/\s+/g, ' ') === record;
  return { record, added, lookups: countLookups(record), unchanged };
}

/** The first usable address of an ip4: term ("192.0.2.0/24" → "192.0.2.1", "192.0.2.7" → itself). */
export function firstAddressOf(ip4Term: string): string | undefined {
  const [addr, cidr] = ip4Term.split('/');
  if (!addr || isIP(addr) !== 4) return undefined;
  const prefix = cidr === undefined ? 32 : Number(cidr);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) return undefined;
  const n = addr.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const size = 2 ** (32 - prefix);
  const network = Math.floor(n / size) * size;
  const chosen = prefix >= 31 ? n : network + 1;
  return [24, 16, 8, 0].map((s) => Math.floor(chosen / 2 ** s) % 256).join('.');
}
