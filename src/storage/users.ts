import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, UserTable } from './schema.js';
import { afterFailureSql } from './lockout-sql.js';
import type { SignInAttemptRule, UserListQuery, UsersPort } from '../userpool/ports.js';
import type { Attributes, User, UserStatus } from '../userpool/model.js';

type Db = Kysely<Database>;

function toUser(row: Selectable<UserTable>): User {
  return {
    sub: row.sub,
    poolId: row.pool_id,
    username: row.username,
    usernameKey: row.username_key,
    emailKey: row.email_key,
    status: row.status as UserStatus,
    enabled: Number(row.enabled) === 1,
    passwordHash: row.password_hash,
    failedSignIns: Number(row.failed_sign_ins),
    lockedUntilMs: Number(row.locked_until),
    createdAtMs: Number(row.created_at),
    updatedAtMs: Number(row.updated_at),
    temporaryPasswordIssuedAtMs: row.temp_password_issued_at === null ? null : Number(row.temp_password_issued_at),
    pendingEmail: row.pending_email,
  };
}

/**
 * `^=` is a case-sensitive literal prefix. substr() is used instead of LIKE, whose
 * case rules and escape character differ between SQLite and PostgreSQL.
 */
function startsWith(column: string, prefix: string) {
  return sql<boolean>`substr(${sql.ref(column)}, 1, ${[...prefix].length}) = ${prefix}`;
}

/**
 * PostgreSQL's text cannot hold U+0000 (it fails the statement); SQLite's can. Refused up
 * front on both, before anything is written, so the port answers the same on either database.
 * The message names the attribute, never its value.
 */
function refuseNul(attributes: Attributes): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (name.includes('\u0000') || value.includes('\u0000')) throw new Error(`attribute ${JSON.stringify(name.replaceAll('\u0000', '\\0'))} contains U+0000, which cannot be stored`);
  }
}

export class SqlUsers implements UsersPort {
  constructor(private readonly db: Db) {}

  async createUser(user: User, attributes: Attributes): Promise<boolean> {
    refuseNul(attributes);
    const inserted = await this.db
      .insertInto('users')
      .values({
        sub: user.sub,
        pool_id: user.poolId,
        username: user.username,
        username_key: user.usernameKey,
        email_key: user.emailKey,
        status: user.status,
        enabled: user.enabled ? 1 : 0,
        password_hash: user.passwordHash,
        failed_sign_ins: user.failedSignIns,
        locked_until: user.lockedUntilMs,
        created_at: user.createdAtMs,
        updated_at: user.updatedAtMs,
        temp_password_issued_at: user.temporaryPasswordIssuedAtMs ?? null,
        pending_email: user.pendingEmail ?? null,
      })
      .onConflict((oc) => oc.columns(['pool_id', 'username_key']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) return false;
    await this.setAttributes(user.poolId, user.sub, attributes);
    return true;
  }

  async findUserByUsername(poolId: string, usernameKey: string): Promise<User | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('pool_id', '=', poolId).where('username_key', '=', usernameKey).executeTakeFirst();
    return row ? toUser(row) : undefined;
  }

  async findUsersByEmail(poolId: string, emailKey: string): Promise<User[]> {
    const rows = await this.db.selectFrom('users').selectAll().where('pool_id', '=', poolId).where('email_key', '=', emailKey).execute();
    return rows.map(toUser);
  }

  async findUserBySub(poolId: string, sub: string): Promise<User | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('pool_id', '=', poolId).where('sub', '=', sub).executeTakeFirst();
    return row ? toUser(row) : undefined;
  }

  async updateUser(sub: string, patch: Partial<Omit<User, 'sub' | 'poolId' | 'createdAtMs'>>): Promise<void> {
    const set: Partial<Selectable<UserTable>> = {};
    if (patch.username !== undefined) set.username = patch.username;
    if (patch.usernameKey !== undefined) set.username_key = patch.usernameKey;
    if (patch.emailKey !== undefined) set.email_key = patch.emailKey;
    if (patch.status !== undefined) set.status = patch.status;
    if (patch.enabled !== undefined) set.enabled = patch.enabled ? 1 : 0;
    if (patch.passwordHash !== undefined) set.password_hash = patch.passwordHash;
    if (patch.failedSignIns !== undefined) set.failed_sign_ins = patch.failedSignIns;
    if (patch.lockedUntilMs !== undefined) set.locked_until = patch.lockedUntilMs;
    if (patch.updatedAtMs !== undefined) set.updated_at = patch.updatedAtMs;
    if (patch.temporaryPasswordIssuedAtMs !== undefined) set.temp_password_issued_at = patch.temporaryPasswordIssuedAtMs;
    if (patch.pendingEmail !== undefined) set.pending_email = patch.pendingEmail;
    if (Object.keys(set).length === 0) return;
    await this.db.updateTable('users').set(set).where('sub', '=', sub).execute();
  }

  async reserveSignInAttempt(sub: string, nowMs: number, rule: SignInAttemptRule): Promise<boolean> {
    // One conditional UPDATE, atomic on SQLite and PostgreSQL without a lock held across
    // statements: the WHERE admits the attempt only while not locked out, and the SET —
    // which reads the row as it was — is lockout.ts's afterFailure.
    const next = afterFailureSql(sql.ref('failed_sign_ins'), sql.ref('locked_until'), nowMs, rule);
    const result = await this.db
      .updateTable('users')
      .set({ failed_sign_ins: next.failedSignIns, locked_until: next.lockedUntil })
      .where('sub', '=', sub)
      .where(next.admitted)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async getAttributes(sub: string): Promise<Attributes> {
    const rows = await this.db.selectFrom('user_attributes').select(['name', 'value']).where('user_sub', '=', sub).execute();
    const out: Attributes = {};
    for (const row of rows) out[row.name] = row.value;
    return out;
  }

  async getAttributesOfMany(subs: string[]): Promise<Map<string, Attributes>> {
    const out = new Map<string, Attributes>();
    for (const sub of subs) out.set(sub, {});
    if (subs.length === 0) return out;
    const rows = await this.db.selectFrom('user_attributes').select(['user_sub', 'name', 'value']).where('user_sub', 'in', subs).execute();
    for (const row of rows) out.get(row.user_sub)![row.name] = row.value;
    return out;
  }

  async setAttributes(poolId: string, sub: string, attributes: Attributes): Promise<void> {
    refuseNul(attributes);
    const rows = Object.entries(attributes).map(([name, value]) => ({ pool_id: poolId, user_sub: sub, name, value }));
    if (rows.length === 0) return;
    await this.db
      .insertInto('user_attributes')
      .values(rows)
      .onConflict((oc) => oc.columns(['user_sub', 'name']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
      .execute();
  }

  async deleteAttributes(sub: string, names: string[]): Promise<void> {
    if (names.length === 0) return;
    await this.db.deleteFrom('user_attributes').where('user_sub', '=', sub).where('name', 'in', names).execute();
  }

  async deleteUser(sub: string): Promise<void> {
    await this.db.deleteFrom('codes').where('user_sub', '=', sub).execute();
    await this.db.deleteFrom('sessions').where('user_sub', '=', sub).execute();
    await this.db.deleteFrom('user_attributes').where('user_sub', '=', sub).execute();
    // Their mail not yet handed to a worker goes with them, whatever address it was for (a new,
    // unverified one too): codes and temporary passwords of a user who no longer exists
    // (issue 13 #2). Mail in flight finishes; sent mail keeps its record.
    await this.db.deleteFrom('outbox').where('user_sub', '=', sub).where('status', '=', 'queued').execute();
    await this.db.deleteFrom('users').where('sub', '=', sub).execute();
  }

  async listUsers(query: UserListQuery): Promise<User[]> {
    let q = this.db.selectFrom('users').selectAll('users').where('users.pool_id', '=', query.poolId);
    const f = query.filter;
    if (f) {
      const column =
        f.name === 'username' ? 'users.username' : f.name === 'cognito:user_status' ? 'users.status' : f.name === 'sub' ? 'users.sub' : undefined;
      if (column) {
        q = f.op === '=' ? q.where(column, '=', f.value) : q.where(startsWith(column, f.value));
      } else if (f.name === 'status') {
        // Cognito's `status` filter is the enabled flag: "Enabled" / "Disabled".
        q = q.where('users.enabled', '=', f.value === 'Enabled' ? 1 : f.value === 'Disabled' ? 0 : -1);
      } else {
        q = q.where((eb) =>
          eb.exists(
            eb
              .selectFrom('user_attributes as a')
              .select('a.user_sub')
              .whereRef('a.user_sub', '=', 'users.sub')
              .where('a.pool_id', '=', query.poolId)
              .where('a.name', '=', f.name)
              .where(f.op === '=' ? sql<boolean>`${sql.ref('a.value')} = ${f.value}` : startsWith('a.value', f.value)),
          ),
        );
      }
    }
    if (query.afterSub !== undefined) q = q.where('users.sub', '>', query.afterSub);
    const rows = await q.orderBy('users.sub').limit(query.limit).execute();
    return rows.map(toUser);
  }
}
