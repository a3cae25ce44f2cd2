import type { Kysely, Selectable } from 'kysely';
import type { Database, UserPoolTable } from './schema.js';
import type { PoolsPort } from '../userpool/ports.js';
import type { UserPool } from '../userpool/model.js';

type Db = Kysely<Database>;

function toPool(row: Selectable<UserPoolTable>): UserPool {
  return { id: row.id, name: row.name, settings: JSON.parse(row.settings_json), createdAtMs: Number(row.created_at), updatedAtMs: Number(row.updated_at) };
}

export class SqlPools implements PoolsPort {
  constructor(private readonly db: Db) {}

  async createPool(pool: UserPool): Promise<void> {
    await this.db
      .insertInto('user_pools')
      .values({ id: pool.id, name: pool.name, settings_json: JSON.stringify(pool.settings), created_at: pool.createdAtMs, updated_at: pool.updatedAtMs })
      .execute();
  }

  async findPool(id: string): Promise<UserPool | undefined> {
    const row = await this.db.selectFrom('user_pools').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toPool(row) : undefined;
  }

  async updatePool(id: string, name: string, settings: UserPool['settings'], nowMs: number): Promise<void> {
    await this.db.updateTable('user_pools').set({ name, settings_json: JSON.stringify(settings), updated_at: nowMs }).where('id', '=', id).execute();
  }

  async deletePool(id: string): Promise<void> {
    // Children first: PostgreSQL and SQLite both cascade, but explicit deletes keep this
    // correct even where foreign keys are off (an old SQLite file opened elsewhere).
    await this.db.deleteFrom('codes').where('pool_id', '=', id).execute();
    await this.db.deleteFrom('sessions').where('pool_id', '=', id).execute();
    await this.db.deleteFrom('user_attributes').where('pool_id', '=', id).execute();
    await this.db.deleteFrom('users').where('pool_id', '=', id).execute();
    await this.db.deleteFrom('user_pool_clients').where('pool_id', '=', id).execute();
    // Its mail not yet handed to a worker goes too: codes and temporary passwords for users
    // who no longer exist (issue 13 #2). Mail in flight finishes; sent mail keeps its record.
    await this.db.deleteFrom('outbox').where('pool_id', '=', id).where('status', '=', 'queued').execute();
    await this.db.deleteFrom('user_pools').where('id', '=', id).execute();
  }

  async listPools(limit: number, afterId: string | undefined): Promise<UserPool[]> {
    let q = this.db.selectFrom('user_pools').selectAll().orderBy('id').limit(limit);
    if (afterId !== undefined) q = q.where('id', '>', afterId);
    return (await q.execute()).map(toPool);
  }

  async countUsers(poolId: string): Promise<number> {
    const row = await this.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('pool_id', '=', poolId).executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}
