import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { LimitsPort, SignInAttemptRule } from '../userpool/ports.js';
import { afterFailureSql } from './lockout-sql.js';

type Db = Kysely<Database>;

export class SqlLimits implements LimitsPort {
  constructor(private readonly db: Db) {}

  async hit(key: string, windowStartMs: number, hits = 1): Promise<number> {
    // One statement, atomic on both databases: concurrent processes count into the same row.
    const row = await this.db
      .insertInto('rate_counters')
      .values({ key, window_start: windowStartMs, count: hits })
      .onConflict((oc) => oc.columns(['key', 'window_start']).doUpdateSet((eb) => ({ count: eb('rate_counters.count', '+', hits) })))
      .returning('count')
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async reserveNameSignInAttempt(key: string, nowMs: number, rule: SignInAttemptRule): Promise<boolean> {
    // One upsert, atomic on both databases: the first failure inserts the row; later ones
    // update it only while not locked out (DO UPDATE … WHERE), as users' reserveSignInAttempt.
    const next = afterFailureSql(sql.ref('name_lockouts.failed_sign_ins'), sql.ref('name_lockouts.locked_until'), nowMs, rule);
    const first = afterFailureSql(sql`0`, sql`0`, nowMs, rule);
    const row = await this.db
      .insertInto('name_lockouts')
      .values({ key, failed_sign_ins: first.failedSignIns, locked_until: first.lockedUntil })
      .onConflict((oc) => oc.column('key').doUpdateSet({ failed_sign_ins: next.failedSignIns, locked_until: next.lockedUntil }).where(next.admitted))
      .returning('key')
      .executeTakeFirst();
    return row !== undefined;
  }

  async prune(beforeMs: number): Promise<void> {
    await this.db.deleteFrom('rate_counters').where('window_start', '<', beforeMs).execute();
    // A name's lockout that ended before `beforeMs` (an hour or more ago) is past the 15 quiet
    // minutes that reset it: the row says nothing a missing row does not.
    await this.db.deleteFrom('name_lockouts').where('locked_until', '<', beforeMs).execute();
  }
}
