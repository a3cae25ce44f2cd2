import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { LimitsPort } from '../userpool/ports.js';

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

  async prune(beforeMs: number): Promise<void> {
    await this.db.deleteFrom('rate_counters').where('window_start', '<', beforeMs).execute();
  }
}
