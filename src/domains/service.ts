// Sending identities as operations: add, show, list, verify, remove, and the scheduled
// re-checks. The operator API and the CLI both call this; neither touches SQL or DNS.
import { domainToASCII } from 'node:url';
import type { Config } from '../config/index.js';
import type { Clock } from '../core/clock.js';
import type { Random } from '../core/random.js';
import type { Ports, Store } from '../ports.js';
import { isDomainName } from '../userpool/email.js';
import type { DnsResolve } from '../dns/resolver.js';
import { algorithmsFor, generateDkimKey, isValidSelector, newSelector, storedKey } from './keys.js';
import { isVerified, type BehaviorOnMxFailure, type DkimKey, type DkimMode, type SendingDomain } from './model.js';
import { NO_EXISTING, planRecords, readExisting, type ExistingRecords, type RecordPlan } from './records.js';
import { spfTermsFor } from '../dns/spf-record.js';
import { nextCheckAt, verifyIdentity } from './verify.js';
import { poolSenderDomain } from './pool-sender.js';

export type DomainErrorCode = 'InvalidParameter' | 'AlreadyExists' | 'NotFound' | 'InUse';

/** A refused request; `field` names the input that caused it. */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    readonly field: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export interface AddDomainInput {
  domain: unknown;
  /** undefined → bounce.<domain>; null → no custom MAIL FROM (envelope at the From domain). */
  mailFromDomain?: unknown;
  dkim?: unknown;
  selector?: unknown;
  behaviorOnMxFailure?: unknown;
}

/** An identity as the API and CLI show it: never any private key material. */
export interface DomainView {
  domain: string;
  verified: boolean;
  mailFromDomain: string | null;
  behaviorOnMxFailure: BehaviorOnMxFailure;
  dkim: { mode: DkimMode; status: string; reason: string | null; selectors: { selector: string; algorithm: string; active: boolean }[] };
  mailFrom: { status: string; reason: string | null };
  spf: { status: string; reason: string | null };
  verificationStartedAt: string;
  lastCheckedAt: string | null;
  nextCheckAt: string | null;
  createdAt: string;
  records?: RecordPlan['records'];
  warnings?: string[];
}

export interface DomainServiceDeps {
  store: Store;
  clock: Clock;
  random: Random;
  keyEncryptionKey: Buffer;
  resolve: DnsResolve;
  /** TODOKU_SENDING_IPS (or the outgoing local address when unset). */
  sendingIps: string[];
  /** MX target of MAIL FROM subdomains: the host that receives bounces. */
  bounceHost: string;
}

/** The settings a DomainService takes from the config: TODOKU_SENDING_IPS and TODOKU_HELO_NAME. */
export function domainSettings(config: Config): { sendingIps: string[]; bounceHost: string } {
  const sendingIps = config.sendingIps.length > 0 ? config.sendingIps : config.smtpLocalAddress ? [config.smtpLocalAddress] : [];
  // Bounces return to the host todoku greets as: it is the one name known to reach it.
  return { sendingIps, bounceHost: config.heloName };
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function normaliseDomain(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new DomainError('InvalidParameter', field, `${field} is required: a domain name such as example.jp`);
  const trimmed = value.trim();
  // An address literal is not an identity: no DNS zone to publish SPF/DKIM/DMARC in, and RFC
  // 3696 §2 keeps top-level labels from being all-numeric so that 127.0.0.1 is never a name.
  if (/^\[.*\]$/.test(trimmed) || trimmed.includes(':') || /^[0-9.]+$/.test(trimmed)) {
    throw new DomainError('InvalidParameter', field, `${field} "${trimmed}" is an IP address, not a domain name: sending identities are DNS domains such as example.jp`);
  }
  const ascii = domainToASCII(trimmed.replace(/\.$/, '').toLowerCase());
  if (ascii === '' || !isDomainName(ascii) || /^[0-9]+$/.test(ascii.slice(ascii.lastIndexOf('.') + 1))) throw new DomainError('InvalidParameter', field, `${field} "${value}" is not a domain name`);
  return ascii;
}

export class DomainService {
  readonly spfTerms: string[];

  constructor(private readonly d: DomainServiceDeps) {
    this.spfTerms = spfTermsFor(d.sendingIps);
  }

  private parseAdd(input: AddDomainInput) {
    const domain = normaliseDomain(input.domain, 'domain');
    let mailFromDomain: string | null;
    if (input.mailFromDomain === null) mailFromDomain = null;
    else if (input.mailFromDomain === undefined || input.mailFromDomain === '') mailFromDomain = `bounce.${domain}`;
    else {
      mailFromDomain = normaliseDomain(input.mailFromDomain, 'mailFromDomain');
      // SES: the MAIL FROM domain is a subdomain of the identity, so it aligns with From
      // under DMARC's relaxed mode (RFC 7489 §3.1.2) — and is not the identity itself.
      if (!mailFromDomain.endsWith(`.${domain}`)) {
        throw new DomainError('InvalidParameter', 'mailFromDomain', `mailFromDomain "${mailFromDomain}" must be a subdomain of ${domain} (for example bounce.${domain})`);
      }
    }
    const dkim = input.dkim ?? 'rsa2048';
    if (dkim !== 'rsa2048' && dkim !== 'rsa2048+ed25519') {
      throw new DomainError('InvalidParameter', 'dkim', `dkim must be rsa2048 or rsa2048+ed25519, got ${JSON.stringify(dkim)}`);
    }
    let selector: string | undefined;
    if (input.selector !== undefined) {
      if (typeof input.selector !== 'string' || !isValidSelector(input.selector)) {
        throw new DomainError('InvalidParameter', 'selector', `selector must be one DNS label of lower-case letters, digits and hyphens, got ${JSON.stringify(input.selector)}`);
      }
      selector = input.selector;
    }
    const behavior = input.behaviorOnMxFailure ?? 'UseDefaultValue';
    if (behavior !== 'UseDefaultValue' && behavior !== 'RejectMessage') {
      throw new DomainError('InvalidParameter', 'behaviorOnMxFailure', `behaviorOnMxFailure must be UseDefaultValue or RejectMessage, got ${JSON.stringify(behavior)}`);
    }
    return { domain, mailFromDomain, dkim: dkim as DkimMode, selector, behavior: behavior as BehaviorOnMxFailure };
  }

  async add(input: AddDomainInput): Promise<DomainView> {
    const p = this.parseAdd(input);
    if (await this.d.store.domains.findDomain(p.domain)) {
      throw new DomainError('AlreadyExists', 'domain', `${p.domain} is already a sending identity (todoku domain verify ${p.domain} shows its records)`);
    }
    const nowMs = this.d.clock.nowMs();
    // Key generation is slow CPU work: before the transaction, as the house rules want.
    const keys: DkimKey[] = [];
    for (const algorithm of algorithmsFor(p.dkim)) {
      const selector = newSelector(nowMs, algorithm, keys.map((k) => k.selector), p.selector);
      const generated = await generateDkimKey(algorithm);
      keys.push(storedKey({ random: this.d.random, keyEncryptionKey: this.d.keyEncryptionKey, domain: p.domain, selector, generated, nowMs, active: true }));
    }
    const identity: SendingDomain = {
      domain: p.domain,
      mailFromDomain: p.mailFromDomain,
      behaviorOnMxFailure: p.behavior,
      dkimMode: p.dkim,
      dkimStatus: 'PENDING',
      dkimReason: null,
      mailFromStatus: p.mailFromDomain === null ? 'NOT_STARTED' : 'PENDING',
      mailFromReason: null,
      spfStatus: 'PENDING',
      spfReason: null,
      verificationStartedAtMs: nowMs,
      lastCheckedAtMs: null,
      nextCheckAtMs: nextCheckAt(['PENDING'], nowMs, nowMs),
      createdAtMs: nowMs,
      updatedAtMs: nowMs,
    };
    const created = await this.d.store.transaction((tx) => tx.domains.createDomain(identity, keys));
    if (!created) throw new DomainError('AlreadyExists', 'domain', `${p.domain} is already a sending identity`);
    return this.withRecords(identity, keys);
  }

  private async load(domainInput: unknown): Promise<{ identity: SendingDomain; keys: DkimKey[] }> {
    const domain = normaliseDomain(domainInput, 'domain');
    const identity = await this.d.store.domains.findDomain(domain);
    if (!identity) throw new DomainError('NotFound', 'domain', `${domain} is not a sending identity (add it with todoku domain add ${domain})`);
    return { identity, keys: await this.d.store.domains.listDkimKeys(domain) };
  }

  /** The records to publish, merged with what DNS has now. */
  async records(domainInput: unknown): Promise<{ plan: RecordPlan; existing: ExistingRecords }> {
    const { identity, keys } = await this.load(domainInput);
    return this.plan(identity, keys);
  }

  private async plan(identity: SendingDomain, keys: DkimKey[]): Promise<{ plan: RecordPlan; existing: ExistingRecords }> {
    const existing = await readExisting(this.d.resolve, identity, this.spfTerms).catch(() => NO_EXISTING);
    const plan = planRecords({
      identity,
      keys: keys.filter((k) => k.retiredAtMs === null),
      spfTerms: this.spfTerms,
      bounceHost: this.d.bounceHost,
      existing,
    });
    return { plan, existing };
  }

  private async withRecords(identity: SendingDomain, keys: DkimKey[]): Promise<DomainView> {
    const { plan } = await this.plan(identity, keys);
    return { ...view(identity, keys), records: plan.records, warnings: plan.warnings };
  }

  async get(domainInput: unknown): Promise<DomainView> {
    const { identity, keys } = await this.load(domainInput);
    return this.withRecords(identity, keys);
  }

  async list(): Promise<DomainView[]> {
    const out: DomainView[] = [];
    for (const identity of await this.d.store.domains.listDomains()) out.push(view(identity, await this.d.store.domains.listDkimKeys(identity.domain)));
    return out;
  }

  /** Checks DNS now (on demand); a window that ran out restarts, as SES's "verify again". */
  async verify(domainInput: unknown): Promise<DomainView> {
    const { identity, keys } = await this.load(domainInput);
    const nowMs = this.d.clock.nowMs();
    const settled = [identity.dkimStatus, identity.mailFromStatus, identity.spfStatus].every((s) => s === 'SUCCESS' || s === 'NOT_STARTED');
    const restarted = identity.nextCheckAtMs === null && !settled ? { ...identity, verificationStartedAtMs: nowMs } : identity;
    const updated = await this.check(restarted, keys, nowMs);
    return this.withRecords(updated, keys);
  }

  private async check(identity: SendingDomain, keys: DkimKey[], nowMs: number): Promise<SendingDomain> {
    const patch = await verifyIdentity({ resolve: this.d.resolve, bounceHost: this.d.bounceHost, spfTerms: this.spfTerms }, identity, keys, nowMs);
    await this.d.store.domains.recordVerification(identity.domain, patch, nowMs);
    return { ...identity, ...patch, updatedAtMs: nowMs };
  }

  /** Re-checks identities whose scheduled check is due; returns how many were checked. */
  async runDueChecks(limit = 20): Promise<number> {
    const nowMs = this.d.clock.nowMs();
    const due = await this.d.store.domains.listDomainsDueForCheck(nowMs, limit);
    for (const identity of due) await this.check(identity, await this.d.store.domains.listDkimKeys(identity.domain), nowMs);
    return due.length;
  }

  async remove(domainInput: unknown): Promise<void> {
    const { identity } = await this.load(domainInput);
    await this.d.store.transaction(async (tx) => {
      const users = await poolsSendingFrom(tx, identity.domain);
      if (users.length > 0) {
        throw new DomainError(
          'InUse',
          'domain',
          `${identity.domain} is the From domain of user pool(s) ${users.join(', ')}; point their EmailConfiguration elsewhere first`,
        );
      }
      await tx.domains.deleteDomain(identity.domain);
    });
  }
}

/** Ids of the pools whose EmailConfiguration sends as `domain` (through From or SourceArn). */
export async function poolsSendingFrom(ports: Ports, domain: string): Promise<string[]> {
  const out: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await ports.pools.listPools(100, after);
    for (const pool of page) {
      if (poolSenderDomain(pool.settings.EmailConfiguration) === domain) out.push(pool.id);
    }
    if (page.length < 100) return out;
    after = page[page.length - 1]!.id;
  }
}

export function view(identity: SendingDomain, keys: DkimKey[]): DomainView {
  return {
    domain: identity.domain,
    verified: isVerified(identity),
    mailFromDomain: identity.mailFromDomain,
    behaviorOnMxFailure: identity.behaviorOnMxFailure,
    dkim: {
      mode: identity.dkimMode,
      status: identity.dkimStatus,
      reason: identity.dkimReason,
      selectors: keys
        .filter((k) => k.retiredAtMs === null)
        .map((k) => ({ selector: k.selector, algorithm: k.algorithm, active: k.activatedAtMs !== null })),
    },
    mailFrom: { status: identity.mailFromStatus, reason: identity.mailFromReason },
    spf: { status: identity.spfStatus, reason: identity.spfReason },
    verificationStartedAt: iso(identity.verificationStartedAtMs)!,
    lastCheckedAt: iso(identity.lastCheckedAtMs),
    nextCheckAt: iso(identity.nextCheckAtMs),
    createdAt: iso(identity.createdAtMs)!,
  };
}
