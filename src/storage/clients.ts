import type { Kysely, Selectable } from 'kysely';
import type { Database, UserPoolClientTable } from './schema.js';
import type { ClientsPort } from '../userpool/ports.js';
import type { UserPoolClient } from '../userpool/model.js';

type Db = Kysely<Database>;

function toClient(row: Selectable<UserPoolClientTable>): UserPoolClient {
  return {
    id: row.id,
    poolId: row.pool_id,
    name: row.name,
    secret: row.secret,
    settings: JSON.parse(row.settings_json),
    createdAtMs: Number(row.created_at),
    updatedAtMs: Number(row.updated_at),
  };
}

export class SqlClients implements ClientsPort {
  constructor(private readonly db: Db) {}

  async createClient(client: UserPoolClient): Promise<void> {
    await this.db
      .insertInto('user_pool_clients')
      .values({
        id: client.id,
        pool_id: client.poolId,
        name: client.name,
        secret: client.secret,
        settings_json: JSON.stringify(client.settings),
        created_at: client.createdAtMs,
        updated_at: client.updatedAtMs,
      })
      .execute();
  }

  async findClient(id: string): Promise<UserPoolClient | undefined> {
    const row = await this.db.selectFrom('user_pool_clients').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toClient(row) : undefined;
  }

  async updateClient(id: string, name: string, settings: UserPoolClient['settings'], nowMs: number): Promise<void> {
    await this.db.updateTable('user_pool_clients').set({ name, settings_json: JSON.stringify(settings), updated_at: nowMs }).where('id', '=', id).execute();
  }

  async deleteClient(id: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('client_id', '=', id).execute();
    await this.db.deleteFrom('user_pool_clients').where('id', '=', id).execute();
  }

  async listClients(poolId: string, limit: number, afterId: string | undefined): Promise<UserPoolClient[]> {
    let q = this.db.selectFrom('user_pool_clients').selectAll().where('pool_id', '=', poolId).orderBy('id').limit(limit);
    if (afterId !== undefined) q = q.where('id', '>', afterId);
    return (await q.execute()).map(toClient);
  }
}
