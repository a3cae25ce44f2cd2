import type { Kysely, Selectable } from 'kysely';
import type { CodeTable, Database } from './schema.js';
import type { CodesPort } from '../userpool/ports.js';
import type { CodePurpose, StoredCode } from '../userpool/model.js';

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
