// SPF records as data: parse (RFC 7208 §4.6, §5, §6), walk the DNS to count lookups
// (§4.6.4), and merge additions into the one record a domain may publish (§3.2, §4.5).
// mailauth evaluates a record for one IP and stops at the first match; the walk here visits
// every term, so it reports the worst case a receiver may meet.
import type { DnsResolve } from '../dns/resolver.js';
import { dnsErrorCode, isNoRecord } from '../dns/resolver.js';
import { isIP } from 'node:net';

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
    const m = /^([a-z0-9]+)(?::(.*)|(\/.*))?$/i.exec(rest);
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
      if (cidr !== undefined && (!/^\d+$/.test(cidr) || Number(cidr) > (family === 4 ? 32 : 128))) {
        errors.push(`"${raw}" has an invalid prefix length`);
      }
    }
    terms.push({ raw, kind: 'mechanism', name, qualifier, value });
  }
  return { terms, errors };
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

export async function walkSpf(resolve: DnsResolve, domain: string): Promise<SpfWalk> {
  const walk: SpfWalk = { lookups: 0, voidLookups: 0, path: [], topLevelVoidTerms: [], ip4: [], ip6: [], problems: [], dnsErrors: [] };
  const visiting = new Set<string>();

  async function exists(name: string, types: string[]): Promise<boolean | 'error'> {
    for (const type of types) {
      try {
        const answer = await resolve(name, type);
        if (answer.length > 0) return true;
      } catch (err) {
        if (!isNoRecord(err)) {
          walk.dnsErrors.push(`${name} ${type}: ${dnsErrorCode(err)}`);
          return 'error';
        }
      }
    }
    return false;
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
    const hasAll = terms.some((t) => t.kind === 'mechanism' && t.name === 'all');
    for (const term of terms) {
      if (term.name === 'ip4') walk.ip4.push(term.value);
      if (term.name === 'ip6') walk.ip6.push(term.value);
      if (!LOOKUP_TERMS.has(term.name)) continue;
      if (term.kind === 'modifier' && term.name !== 'redirect') continue;
      // §6.1: redirect is ignored when the record has an "all" mechanism.
      if (term.name === 'redirect' && hasAll) continue;
      walk.lookups++;
      node.lookupTerms.push(term.raw);
      if (walk.lookups > WALK_CAP) break;
      const target = (term.value.split('/')[0] ?? '') || name;
      if (target.includes('%')) continue; // macros depend on the message; counted, not resolved
      let isVoid = false;
      if (term.name === 'include' || term.name === 'redirect') {
        isVoid = await visit(target, term.raw, false);
      } else if (term.name === 'a') {
        isVoid = (await exists(target, ['A', 'AAAA'])) === false;
      } else if (term.name === 'mx') {
        isVoid = (await exists(target, ['MX'])) === false;
      } else if (term.name === 'exists') {
        isVoid = (await exists(target, ['A'])) === false;
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

/**
 * The one record to publish (RFC 7208 §3.2: a domain MUST NOT have more than one): every term
 * of the existing record(s) kept in order, `remove` dropped, `add` inserted before `all`;
 * `+all`/`?all` (which authorise anyone / say nothing) and a missing `all` become `~all`.
 */
export function mergeSpf(existing: string[], add: string[], remove: string[] = []): string {
  const drop = new Set(remove.map((r) => r.toLowerCase()));
  const seen = new Set<string>();
  const mechanisms: string[] = [];
  const modifiers: string[] = [];
  let all: SpfTerm | undefined;
  let redirect = false;
  for (const record of existing) {
    for (const term of parseSpf(record).terms) {
      const key = term.raw.toLowerCase();
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
    if (!seen.has(term.toLowerCase())) {
      seen.add(term.toLowerCase());
      mechanisms.push(term);
    }
  }
  let allTerm: string[] = [];
  if (all) allTerm = [all.qualifier === '-' ? '-all' : '~all'];
  else if (!redirect) allTerm = ['~all'];
  // A redirect only applies without an "all" (§6.1); when both would exist the redirect goes.
  const mods = allTerm.length > 0 ? modifiers.filter((m) => !/^redirect=/i.test(m)) : modifiers;
  return ['v=spf1', ...mechanisms, ...allTerm, ...mods].join(' ');
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
