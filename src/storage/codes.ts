import type { Kysely, Selectable } from 'kysely';
import type { CodeTable, Database } from './schema.js';
import type { CodesPort, LimitsPort, SessionsPort } from '../userpool/ports.js';
import type { CodePurpose, Session, StoredCode } from '../userpool/model.js';

type Db = Kysely<Database>;

function toCode(row: Selectable<CodeTable>): StoredCode {
  return {
    id: row.id,
    poolId: row.pool_id,
    userSub: row.user_sub,
    purpose: row.purpose as CodePurpose,
    codeHash: row.code_hash,
    failedAttempts: Number(row.failed_attempts),
    expiresAtMs: Number(row.expires_at),
    createdAtMs: Number(row.created_at),
  };
}

export class SqlCodes implements CodesPort {
  constructor(private readonly db: Db) {}

  async putCode(code: StoredCode): Promise<void> {
    await this.db.deleteFrom('codes').where('user_sub', '=', code.userSub).where('purpose', '=', code.purpose).execute();
    await this.db
      .insertInto('codes')
      .values({
        id: code.id,
        pool_id: code.poolId,
        user_sub: code.userSub,
        purpose: code.purpose,
        code_hash: code.codeHash,
        failed_attempts: code.failedAttempts,
        expires_at: code.expiresAtMs,
        created_at: code.createdAtMs,
      })
      .execute();
  }

  async findCode(userSub: string, purpose: CodePurpose): Promise<StoredCode | undefined> {
    const row = await this.db.selectFrom('codes').selectAll().where('user_sub', '=', userSub).where('purpose', '=', purpose).executeTakeFirst();
    return row ? toCode(row) : undefined;
  }

  async recordCodeFailure(id: string): Promise<number> {
    const row = await this.db
      .updateTable('codes')
      .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
      .where('id', '=', id)
      .returning('failed_attempts')
      .executeTakeFirst();
    return Number(row?.failed_attempts ?? 0);
  }

  async deleteCode(id: string): Promise<void> {
    await this.db.deleteFrom('codes').where('id', '=', id).execute();
  }

  async voidCode(userSub: string, purpose: CodePurpose): Promise<void> {
    await this.db.deleteFrom('codes').where('user_sub', '=', userSub).where('purpose', '=', purpose).execute();
  }
}

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
