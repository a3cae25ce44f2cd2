// A receiver profile is data: the receiver's published rules, each a condition over the
// doctor's findings and the verdict it leads to. The worst matching rule wins.
import type { Finding, ReceiverResult, RecordFix, Verdict } from '../types.js';

/** Conditions over findings. A check id may appear more than once (one per DKIM selector). */
export type Condition =
  /** Some finding with this id is pass or warn (works, maybe not ideally). */
  | { passes: string }
  /** No finding with this id passes (absent, fail or error). */
  | { fails: string }
  | { allOf: Condition[] }
  | { anyOf: Condition[] }
  /** A finding's evidence field has one of these values (e.g. the DMARC policy). */
  | { evidence: string; field: string; in: unknown[] };

export interface Rule {
  when: Condition;
  verdict: Exclude<Verdict, 'accept' | 'unknown'>;
  /** The receiver's rule in words, with its source. */
  because: string;
  /** Checks that explain the decision when they fail (e.g. the SPF syntax behind a permerror). */
  explainedBy?: string[];
}

/**
 * Something the receiver asks of senders without publishing what it does to mail that lacks
 * it. It changes no verdict (the doctor does not invent a refusal); when the check is found
 * and does not pass, `because` says the receiver asks for it.
 */
export interface Ask {
  check: string;
  because: string;
}

export interface ReceiverProfile {
  id: string;
  name: string;
  /** False when the receiver publishes no sender policy and the rules are best practice. */
  published: boolean;
  sources: string[];
  rules: Rule[];
  asks?: Ask[];
}

const RANK: Record<Exclude<Verdict, 'unknown'>, number> = { accept: 0, spam: 1, reject: 2 };

function passing(f: Finding): boolean {
  return f.status === 'pass' || f.status === 'warn';
}

function holds(c: Condition, byId: Map<string, Finding[]>): boolean {
  if ('passes' in c) return (byId.get(c.passes) ?? []).some(passing);
  if ('fails' in c) return !(byId.get(c.fails) ?? []).some(passing);
  if ('allOf' in c) return c.allOf.every((x) => holds(x, byId));
  if ('anyOf' in c) return c.anyOf.some((x) => holds(x, byId));
  return (byId.get(c.evidence) ?? []).some((f) => c.in.includes(f.evidence[c.field]));
}

/** The ids a condition reads, for the reasons of a verdict. */
function idsOf(c: Condition): string[] {
  if ('passes' in c) return [c.passes];
  if ('fails' in c) return [c.fails];
  if ('allOf' in c) return c.allOf.flatMap(idsOf);
  if ('anyOf' in c) return c.anyOf.flatMap(idsOf);
  return [c.evidence];
}

export function judge(profile: ReceiverProfile, findings: Finding[]): ReceiverResult {
  const byId = new Map<string, Finding[]>();
  for (const f of findings) byId.set(f.id, [...(byId.get(f.id) ?? []), f]);
  let verdict: Exclude<Verdict, 'unknown'> = 'accept';
  const reasons: string[] = [];
  const because: string[] = [];
  for (const rule of profile.rules) {
    if (!holds(rule.when, byId)) continue;
    if (RANK[rule.verdict] > RANK[verdict]) verdict = rule.verdict;
    because.push(rule.because);
    for (const id of [...idsOf(rule.when), ...(rule.explainedBy ?? [])]) {
      const fs = byId.get(id) ?? [];
      // A reason is a check that is not passing (or is missing: nothing to show for it).
      if (fs.length > 0 && fs.every((f) => !passing(f)) && !reasons.includes(id)) reasons.push(id);
    }
  }
  for (const ask of profile.asks ?? []) {
    const fs = byId.get(ask.check) ?? [];
    // Absent (the live receiver does not look) or not completed (DNS) says nothing either way.
    if (fs.length > 0 && fs.every((f) => f.status === 'warn' || f.status === 'fail')) because.push(ask.because);
  }
  const fixes: RecordFix[] = [];
  const seen = new Set<string>();
  for (const id of reasons) {
    for (const f of byId.get(id) ?? []) {
      if (!f.fix) continue;
      const key = `${f.fix.name}\u0000${f.fix.type}\u0000${f.fix.value}`;
      if (!seen.has(key)) {
        seen.add(key);
        fixes.push(f.fix);
      }
    }
  }
  // A deciding check that could not be completed (DNS error) leaves the verdict open: a
  // rule "SPF does not pass → reject" holds for an error too, but that would be a guess.
  const undecided = reasons.some((id) => (byId.get(id) ?? []).every((f) => f.status === 'error'));
  return { id: profile.id, name: profile.name, verdict: undecided ? 'unknown' : verdict, reasons, fixes, because };
}

// Building blocks shared by several profiles.
const SPF_DETAILS = (role: 'from' | 'mailfrom') => ['present', 'single', 'syntax', 'lookups', 'void'].map((n) => `spf.${role}.${n}`);

/** The SPF of `role`'s domain must pass for every sending IP. */
export function spfMustPass(role: 'from' | 'mailfrom', verdict: Rule['verdict'], because: string): Rule {
  return { when: { fails: `spf.${role}.result` }, verdict, because, explainedBy: SPF_DETAILS(role) };
}

/** DMARC fails and the domain asks for quarantine / reject. */
export function dmarcPolicyRules(onQuarantine: Rule['verdict'], onReject: Rule['verdict'], source: string): Rule[] {
  return [
    {
      when: { allOf: [{ fails: 'dmarc.alignment' }, { evidence: 'dmarc.policy', field: 'effective', in: ['quarantine'] }] },
      verdict: onQuarantine,
      because: `DMARC fails and the domain asks for p=quarantine (${source})`,
      explainedBy: ['dkim.verify', 'dkim.aligned', 'spf.mailfrom.result'],
    },
    {
      when: { allOf: [{ fails: 'dmarc.alignment' }, { evidence: 'dmarc.policy', field: 'effective', in: ['reject'] }] },
      verdict: onReject,
      because: `DMARC fails and the domain asks for p=reject (${source})`,
      explainedBy: ['dkim.verify', 'dkim.aligned', 'spf.mailfrom.result'],
    },
  ];
}

/** SPF (envelope) or DKIM must pass. */
export const SPF_OR_DKIM: Condition = { allOf: [{ fails: 'spf.mailfrom.result' }, { fails: 'dkim.verify' }] };
