import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { KeysPort, StoredSigningKey } from '../tokens/ports.js';

type Db = Kysely<Database>;

export class SqlKeys implements KeysPort {
  constructor(private readonly db: Db) {}

  async listKeys(): Promise<StoredSigningKey[]> {
    // Keys made in the same millisecond come in kid order: without it, which one the keyring
    // takes as the pending key is whatever order the database's plan happens to give.
    const rows = await this.db.selectFrom('signing_keys').selectAll().orderBy('created_at').orderBy('kid').execute();
    return rows.map((r) => ({
      kid: r.kid,
      alg: r.alg,
      publicJwk: r.public_jwk,
      privateKey: r.private_key,
      createdAtMs: Number(r.created_at),
      activatedAtMs: r.activated_at === null ? null : Number(r.activated_at),
      retiredAtMs: r.retired_at === null ? null : Number(r.retired_at),
    }));
  }

  async insertKey(k: StoredSigningKey): Promise<void> {
    await this.db
      .insertInto('signing_keys')
      .values({
        kid: k.kid,
        alg: k.alg,
        public_jwk: k.publicJwk,
        private_key: k.privateKey,
        created_at: k.createdAtMs,
        activated_at: k.activatedAtMs,
        retired_at: k.retiredAtMs,
      })
      .execute();
  }

  async activateKey(kid: string, nowMs: number): Promise<void> {
    await this.db.updateTable('signing_keys').set({ activated_at: nowMs }).where('kid', '=', kid).execute();
  }

  async retireKey(kid: string, nowMs: number): Promise<void> {
    await this.db.updateTable('signing_keys').set({ retired_at: nowMs }).where('kid', '=', kid).execute();
  }

  async deleteKey(kid: string): Promise<void> {
    await this.db.deleteFrom('signing_keys').where('kid', '=', kid).execute();
  }
}
