import type { Kysely, Selectable } from 'kysely';
import type { Database } from './schema.js';
import type { SessionsPort } from '../userpool/ports.js';
import type { Session } from '../userpool/model.js';

type Db = Kysely<Database>;

function toSession(row: Selectable<Database['sessions']>): Session {
  return {
    id: row.id,
    poolId: row.pool_id,
    clientId: row.client_id,
    userSub: row.user_sub,
    refreshTokenHash: row.refresh_token_hash,
    authTimeMs: Number(row.auth_time),
    createdAtMs: Number(row.created_at),
    expiresAtMs: Number(row.expires_at),
    revokedAtMs: row.revoked_at === null ? null : Number(row.revoked_at),
  };
}

export class SqlSessions implements SessionsPort {
  constructor(private readonly db: Db) {}

  async createSession(s: Session): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({
        id: s.id,
        pool_id: s.poolId,
        client_id: s.clientId,
        user_sub: s.userSub,
        refresh_token_hash: s.refreshTokenHash,
        auth_time: s.authTimeMs,
        created_at: s.createdAtMs,
        expires_at: s.expiresAtMs,
        revoked_at: s.revokedAtMs,
      })
      .execute();
  }

  async findSession(id: string): Promise<Session | undefined> {
    const row = await this.db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toSession(row) : undefined;
  }

  async findSessionByRefreshHash(hash: string): Promise<Session | undefined> {
    const row = await this.db.selectFrom('sessions').selectAll().where('refresh_token_hash', '=', hash).executeTakeFirst();
    return row ? toSession(row) : undefined;
  }

  async revokeSession(id: string, nowMs: number): Promise<void> {
    await this.db.updateTable('sessions').set({ revoked_at: nowMs }).where('id', '=', id).where('revoked_at', 'is', null).execute();
  }

  async revokeUserSessions(userSub: string, nowMs: number): Promise<void> {
    await this.db.updateTable('sessions').set({ revoked_at: nowMs }).where('user_sub', '=', userSub).where('revoked_at', 'is', null).execute();
  }
}
