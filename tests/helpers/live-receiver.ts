// The receiver's side of the doctor: what a receiving MTA learns when a message actually arrives
// (SPF of the envelope domain, of the header-From domain and of the PRA; DKIM; DMARC; the
// connecting IP's reverse DNS), turned into the same findings the receiver profiles read, so one
// profile judges both the doctor's prediction and a real delivery. A loopback receiver running
// a profile on real mail is how the doctor's verdicts are held to account (tests/e2e/doctor).
import { authenticate } from 'mailauth';
import { spf } from 'mailauth/lib/spf/index.js';
import type { DnsResolve } from '../../src/dns/resolver.js';
import { aligned, domainOfAddress } from '../../src/doctor/alignment.js';
import { reverseDns } from '../../src/doctor/checks/network.js';
import { judge, type ReceiverProfile } from '../../src/doctor/receivers/index.js';
import type { Finding, ReceiverResult } from '../../src/doctor/types.js';
import { finding } from '../../src/doctor/types.js';

/** RFC 7208 §2.6 results (mailauth spells temperror "temperr"; normalised here). */
export type SpfResult = 'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'permerror' | 'temperror';

export interface LiveAuthentication {
  ip: string;
  helo: string;
  /** Header From address and domain. */
  fromAddress: string;
  fromDomain: string;
  /** Envelope MAIL FROM domain (RFC 5321 reverse-path); the HELO name when the path is empty. */
  mailFromDomain: string;
  spf: {
    /** SPF of the MAIL FROM domain: what au (medium, high) and RFC 7208 check. */
    mailFrom: SpfResult;
    /** SPF of the header-From domain: what docomo and SoftBank check. */
    from: SpfResult;
  };
  /** RFC 4407 §2: the first of Resent-Sender, Resent-From, Sender, From; au's high setting checks it. */
  pra: { header: string; address: string; domain: string; result: SpfResult };
  /** One entry per DKIM-Signature; empty when the message is not signed. */
  dkim: { domain: string; selector: string; algorithm: string; result: string }[];
  dmarc: {
    /** mailauth's DMARC result: pass, fail, none (no record), temperror. */
    result: string;
    /** The policy that applies (sp= for a subdomain when set), null without a record. */
    policy: 'none' | 'quarantine' | 'reject' | null;
  };
  /** Forward-confirmed reverse DNS of the connecting IP (Gmail/Yahoo: 4.7.23 / 5.7.25). */
  reverseDns: { result: 'pass' | 'fail' | 'temperror'; names: string[]; confirmed: string[] };
}

export interface DeliveryToAuthenticate {
  /** The message as received (RFC 5322). */
  raw: string;
  /** Connecting IP. */
  ip: string;
  /** EHLO name. */
  helo: string;
  /** MAIL FROM address, '' for the null reverse-path. */
  mailFrom: string;
  resolve: DnsResolve;
  /** The receiving host's name, for Authentication-Results. */
  mta: string;
}

/** The header block, unfolded (RFC 5322 §2.2.3), as [name, value] in order. */
function headerFields(raw: string): [string, string][] {
  const block = raw.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const fields: [string, string][] = [];
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && fields.length > 0) fields[fields.length - 1]![1] += ` ${line.trim()}`;
    else {
      const colon = line.indexOf(':');
      if (colon > 0) fields.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
    }
  }
  return fields;
}

/** The first mailbox of an address header value (`Name <a@b>` or `a@b`). */
function mailboxOf(value: string): string {
  const angle = /<([^>]*)>/.exec(value);
  return (angle ? angle[1]! : value.split(',')[0]!).trim();
}

function normaliseSpf(result: string | undefined): SpfResult {
  if (result === 'temperr') return 'temperror';
  return (result ?? 'none') as SpfResult;
}

async function spfOf(d: DeliveryToAuthenticate, domain: string): Promise<SpfResult> {
  if (!domain) return 'none';
  const r = await spf({ sender: `postmaster@${domain}`, ip: d.ip, helo: d.helo, mta: d.mta, resolver: d.resolve } as never);
  return normaliseSpf((r as { status: { result: string } }).status.result);
}

/** FCrDNS: the PTR names of the IP, and those whose A/AAAA records lead back to it. */
async function reverseDnsOf(resolve: DnsResolve, ip: string): Promise<LiveAuthentication['reverseDns']> {
  const { names, confirmed, error } = await reverseDns(resolve, ip);
  return { result: error ? 'temperror' : confirmed.length > 0 ? 'pass' : 'fail', names, confirmed };
}

/** Authenticates one received message the way a receiving MTA does (mailauth 4.13 + FCrDNS). */
export async function authenticateDelivery(d: DeliveryToAuthenticate): Promise<LiveAuthentication> {
  const fields = headerFields(d.raw);
  const first = (name: string) => fields.find(([n]) => n === name)?.[1];
  const fromAddress = mailboxOf(first('from') ?? '');
  const fromDomain = domainOfAddress(fromAddress);
  // RFC 5321 §4.5.5 / RFC 7208 §2.4: with a null reverse-path SPF checks the HELO identity.
  const mailFromDomain = d.mailFrom ? domainOfAddress(d.mailFrom) : d.helo.toLowerCase();

  const result = (await authenticate(d.raw, { ip: d.ip, helo: d.helo, sender: d.mailFrom, mta: d.mta, resolver: d.resolve, disableBimi: true, disableArc: true } as never)) as {
    spf: { status: { result: string } } | false;
    dkim: { results: { signingDomain?: string; selector?: string; algo?: string; status: { result: string } }[] };
    dmarc: { status: { result: string }; policy?: string } | false;
  };

  const praOrder: [string, string][] = [['Resent-Sender', 'resent-sender'], ['Resent-From', 'resent-from'], ['Sender', 'sender'], ['From', 'from']];
  const [praHeader, praValue] = praOrder.map(([label, name]) => [label, first(name)] as const).find(([, v]) => v !== undefined && v !== '') ?? ['From', fromAddress];
  const praAddress = mailboxOf(praValue ?? '');
  const praDomain = domainOfAddress(praAddress);

  const [fromSpf, praSpf, reverseDns] = await Promise.all([
    spfOf(d, fromDomain),
    spfOf(d, praDomain),
    reverseDnsOf(d.resolve, d.ip),
  ]);
  const policy = result.dmarc && result.dmarc.policy ? result.dmarc.policy.toLowerCase() : null;

  return {
    ip: d.ip,
    helo: d.helo,
    fromAddress,
    fromDomain,
    mailFromDomain,
    spf: { mailFrom: result.spf ? normaliseSpf(result.spf.status.result) : 'none', from: fromSpf },
    pra: { header: praHeader, address: praAddress, domain: praDomain, result: praSpf },
    dkim: result.dkim.results
      .filter((r) => r.signingDomain !== undefined)
      .map((r) => ({ domain: r.signingDomain!.toLowerCase(), selector: r.selector ?? '', algorithm: r.algo ?? '', result: r.status.result })),
    dmarc: {
      result: result.dmarc ? result.dmarc.status.result : 'none',
      policy: policy === 'none' || policy === 'quarantine' || policy === 'reject' ? policy : null,
    },
    reverseDns,
  };
}

function spfFinding(id: string, result: SpfResult, domain: string, evidence: Record<string, unknown>): Finding {
  const status = result === 'pass' ? 'pass' : result === 'temperror' ? 'error' : 'fail';
  return finding(id, status, `SPF of ${domain}: ${result}`, { domain, result, ...evidence });
}

/**
 * The findings a profile reads, from what the receiver saw: the same ids as the doctor's
 * checks (spf.from.result, spf.mailfrom.result, pra.order, dkim.*, dmarc.*, ptr.fcrdns), with
 * the live result as evidence. Checks only the DNS can answer (lookup counts, syntax, MX) have
 * no live counterpart and are absent; profiles use them only to explain, never to decide.
 */
export function findingsFromAuthentication(live: LiveAuthentication): Finding[] {
  const out: Finding[] = [
    spfFinding('spf.mailfrom.result', live.spf.mailFrom, live.mailFromDomain, { ip: live.ip }),
    spfFinding('spf.from.result', live.spf.from, live.fromDomain, { ip: live.ip }),
    spfFinding('pra.order', live.pra.result, live.pra.domain, { ip: live.ip, header: live.pra.header, address: live.pra.address }),
  ];

  if (live.dkim.length === 0) {
    out.push(finding('dkim.record', 'fail', 'the message carries no DKIM-Signature', {}));
    out.push(finding('dkim.verify', 'fail', 'the message carries no DKIM-Signature', {}));
  }
  for (const sig of live.dkim) {
    const ev = { domain: sig.domain, selector: sig.selector, algorithm: sig.algorithm, result: sig.result };
    // pass/fail mean a key was found and used; neutral/permerror/policy mean it was not usable.
    out.push(finding('dkim.record', sig.result === 'pass' || sig.result === 'fail' ? 'pass' : 'fail', `key ${sig.selector}._domainkey.${sig.domain}: ${sig.result}`, ev));
    out.push(finding('dkim.verify', sig.result === 'pass' ? 'pass' : sig.result === 'temperror' ? 'error' : 'fail', `DKIM d=${sig.domain} s=${sig.selector}: ${sig.result}`, ev));
    // mailauth 4.13 aligns DKIM in relaxed mode whatever adkim says; so does this.
    out.push(finding('dkim.aligned', aligned(sig.domain, live.fromDomain, 'r') ? 'pass' : 'fail', `d=${sig.domain} against From ${live.fromDomain}`, ev));
  }

  const dmarcEv = { from: live.fromDomain, result: live.dmarc.result, effective: live.dmarc.policy };
  if (live.dmarc.result === 'temperror') {
    out.push(finding('dmarc.record', 'error', `the DMARC record of ${live.fromDomain} could not be read`, dmarcEv));
  } else if (live.dmarc.result === 'none') {
    out.push(finding('dmarc.record', 'fail', `${live.fromDomain} publishes no DMARC record`, dmarcEv));
  } else {
    out.push(finding('dmarc.record', 'pass', `DMARC record found, p=${live.dmarc.policy}`, dmarcEv));
    out.push(finding('dmarc.policy', live.dmarc.policy === 'none' ? 'warn' : 'pass', `policy ${live.dmarc.policy}`, dmarcEv));
  }
  // Without a record there is no DMARC result, but receivers that require alignment (Gmail
  // bulk: 4.7.32) still compare: RFC 7489 §3.1 relaxed, SPF or DKIM.
  const alignedAnyway =
    (live.spf.mailFrom === 'pass' && aligned(live.mailFromDomain, live.fromDomain, 'r')) ||
    live.dkim.some((s) => s.result === 'pass' && aligned(s.domain, live.fromDomain, 'r'));
  const dmarcPass = live.dmarc.result === 'pass' || (live.dmarc.result === 'none' && alignedAnyway);
  out.push(finding('dmarc.alignment', dmarcPass ? 'pass' : live.dmarc.result === 'temperror' ? 'error' : 'fail', `DMARC ${live.dmarc.result}`, dmarcEv));

  const rev = live.reverseDns;
  out.push(
    finding(
      'ptr.fcrdns',
      rev.result === 'pass' ? 'pass' : rev.result === 'temperror' ? 'error' : 'fail',
      rev.result === 'pass' ? `${live.ip} ↔ ${rev.confirmed[0]}` : rev.result === 'temperror' ? `the PTR of ${live.ip} could not be read` : rev.names.length === 0 ? `${live.ip} has no PTR` : `${live.ip} → ${rev.names.join(', ')}, not confirmed`,
      { ip: live.ip, ptr: rev.names, confirmed: rev.confirmed },
    ),
  );
  return out;
}

/** The receiver's verdict on a message it received, by the same profile the doctor judges with. */
export function verdictFromAuthentication(profile: ReceiverProfile, live: LiveAuthentication): ReceiverResult {
  return judge(profile, findingsFromAuthentication(live));
}
