import type { Kysely, Selectable } from 'kysely';
import type { Database, DkimKeyTable, SendingDomainTable } from './schema.js';
import type { DomainsPort, VerificationPatch } from '../domains/ports.js';
import type { BehaviorOnMxFailure, DkimAlgorithm, DkimKey, DkimMode, SendingDomain, VerificationStatus } from '../domains/model.js';

type Db = Kysely<Database>;

const nullableNumber = (v: number | null): number | null => (v === null ? null : Number(v));

function toDomain(row: Selectable<SendingDomainTable>): SendingDomain {
  return {
    domain: row.domain,
    mailFromDomain: row.mail_from_domain,
    behaviorOnMxFailure: row.behavior_on_mx_failure as BehaviorOnMxFailure,
    dkimMode: row.dkim_mode as DkimMode,
    dkimStatus: row.dkim_status as VerificationStatus,
    dkimReason: row.dkim_reason,
    mailFromStatus: row.mail_from_status as VerificationStatus,
    mailFromReason: row.mail_from_reason,
    spfStatus: row.spf_status as VerificationStatus,
    spfReason: row.spf_reason,
    verificationStartedAtMs: Number(row.verification_started_at),
    lastCheckedAtMs: nullableNumber(row.last_checked_at),
    nextCheckAtMs: nullableNumber(row.next_check_at),
    createdAtMs: Number(row.created_at),
    updatedAtMs: Number(row.updated_at),
  };
}

function toKey(row: Selectable<DkimKeyTable>): DkimKey {
  return {
    id: row.id,
    domain: row.domain,
    selector: row.selector,
    algorithm: row.algorithm as DkimAlgorithm,
    publicKey: row.public_key,
    privateKeyEncrypted: row.private_key_encrypted,
    createdAtMs: Number(row.created_at),
    activatedAtMs: nullableNumber(row.activated_at),
    retiredAtMs: nullableNumber(row.retired_at),
  };
}

export class SqlDomains implements DomainsPort {
  constructor(private readonly db: Db) {}

  async createDomain(d: SendingDomain, keys: DkimKey[]): Promise<boolean> {
    const inserted = await this.db
      .insertInto('sending_domains')
      .values({
        domain: d.domain,
        mail_from_domain: d.mailFromDomain,
        behavior_on_mx_failure: d.behaviorOnMxFailure,
        dkim_mode: d.dkimMode,
        dkim_status: d.dkimStatus,
        dkim_reason: d.dkimReason,
        mail_from_status: d.mailFromStatus,
        mail_from_reason: d.mailFromReason,
        spf_status: d.spfStatus,
        spf_reason: d.spfReason,
        verification_started_at: d.verificationStartedAtMs,
        last_checked_at: d.lastCheckedAtMs,
        next_check_at: d.nextCheckAtMs,
        created_at: d.createdAtMs,
        updated_at: d.updatedAtMs,
      })
      .onConflict((oc) => oc.column('domain').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) return false;
    for (const key of keys) await this.insertDkimKey(key);
    return true;
  }

  async findDomain(domain: string): Promise<SendingDomain | undefined> {
    const row = await this.db.selectFrom('sending_domains').selectAll().where('domain', '=', domain).executeTakeFirst();
    return row ? toDomain(row) : undefined;
  }

  async listDomains(): Promise<SendingDomain[]> {
    return (await this.db.selectFrom('sending_domains').selectAll().orderBy('domain').execute()).map(toDomain);
  }

  async listDomainsDueForCheck(nowMs: number, limit: number): Promise<SendingDomain[]> {
    const rows = await this.db
      .selectFrom('sending_domains')
      .selectAll()
      .where('next_check_at', 'is not', null)
      .where('next_check_at', '<=', nowMs)
      .orderBy('next_check_at')
      .limit(limit)
      .execute();
    return rows.map(toDomain);
  }

  async recordVerification(domain: string, p: VerificationPatch, nowMs: number): Promise<void> {
    await this.db
      .updateTable('sending_domains')
      .set({
        dkim_status: p.dkimStatus,
        dkim_reason: p.dkimReason,
        mail_from_status: p.mailFromStatus,
        mail_from_reason: p.mailFromReason,
        spf_status: p.spfStatus,
        spf_reason: p.spfReason,
        verification_started_at: p.verificationStartedAtMs,
        last_checked_at: p.lastCheckedAtMs,
        next_check_at: p.nextCheckAtMs,
        updated_at: nowMs,
      })
      .where('domain', '=', domain)
      .execute();
  }

  async deleteDomain(domain: string): Promise<void> {
    await this.db.deleteFrom('dkim_keys').where('domain', '=', domain).execute();
    await this.db.deleteFrom('sending_domains').where('domain', '=', domain).execute();
  }

  async listDkimKeys(domain: string): Promise<DkimKey[]> {
    const rows = await this.db.selectFrom('dkim_keys').selectAll().where('domain', '=', domain).orderBy('created_at').orderBy('id').execute();
    return rows.map(toKey);
  }

  async insertDkimKey(k: DkimKey): Promise<void> {
    await this.db
      .insertInto('dkim_keys')
      .values({
        id: k.id,
        domain: k.domain,
        selector: k.selector,
        algorithm: k.algorithm,
        public_key: k.publicKey,
        private_key_encrypted: k.privateKeyEncrypted,
        created_at: k.createdAtMs,
        activated_at: k.activatedAtMs,
        retired_at: k.retiredAtMs,
      })
      .execute();
  }

  async activateDkimKey(id: string, nowMs: number): Promise<void> {
    await this.db.updateTable('dkim_keys').set({ activated_at: nowMs }).where('id', '=', id).execute();
  }

  async retireDkimKey(id: string, nowMs: number): Promise<void> {
    await this.db.updateTable('dkim_keys').set({ retired_at: nowMs }).where('id', '=', id).execute();
  }
}
