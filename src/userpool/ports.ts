// What the user-pool actions need from storage. Storage implements these; the actions
// never see SQL. Every method runs inside the caller's transaction when called on the
// ports handed to a `transaction` callback.
import type { Attributes, ClientSettings, CodePurpose, PoolSettings, Session, StoredCode, User, UserPool, UserPoolClient } from './model.js';

export interface PoolsPort {
  createPool(pool: UserPool): Promise<void>;
  findPool(id: string): Promise<UserPool | undefined>;
  updatePool(id: string, name: string, settings: PoolSettings, nowMs: number): Promise<void>;
  deletePool(id: string): Promise<void>;
  /** Pools ordered by id, starting after `afterId`. */
  listPools(limit: number, afterId: string | undefined): Promise<UserPool[]>;
  countUsers(poolId: string): Promise<number>;
}

export interface ClientsPort {
  createClient(client: UserPoolClient): Promise<void>;
  findClient(id: string): Promise<UserPoolClient | undefined>;
  updateClient(id: string, name: string, settings: ClientSettings, nowMs: number): Promise<void>;
  deleteClient(id: string): Promise<void>;
  /** Clients of a pool ordered by id, starting after `afterId`. */
  listClients(poolId: string, limit: number, afterId: string | undefined): Promise<UserPoolClient[]>;
}

export interface UserListQuery {
  poolId: string;
  /** Attribute (or `username`, `cognito:user_status`, `status`, `sub`) and comparison. */
  filter?: { name: string; op: '=' | '^='; value: string } | undefined;
  limit: number;
  /** Users ordered by sub, starting after this one. */
  afterSub?: string | undefined;
}

/**
 * The lockout schedule of userpool/lockout.ts as data, for the storage to apply in one
 * statement: `lockoutMsAfter[n - 1]` is the lockout after the n-th consecutive failure (0
 * below the threshold), the last entry holding for every later failure; failures are
 * forgotten once `quietResetMs` passed after the end of the last lockout.
 */
export interface SignInAttemptRule {
  quietResetMs: number;
  lockoutMsAfter: readonly number[];
}

export interface UsersPort {
  /**
   * Inserts the user and its attributes; false when the username (key) is taken. Attributes
   * containing U+0000 are refused as in setAttributes, before the user is written.
   */
  createUser(user: User, attributes: Attributes): Promise<boolean>;
  findUserByUsername(poolId: string, usernameKey: string): Promise<User | undefined>;
  findUsersByEmail(poolId: string, emailKey: string): Promise<User[]>;
  findUserBySub(poolId: string, sub: string): Promise<User | undefined>;
  updateUser(sub: string, patch: Partial<Omit<User, 'sub' | 'poolId' | 'createdAtMs'>>): Promise<void>;
  /**
   * Admits one password check, counted as a failure before the password is checked: in
   * one conditional UPDATE, only while the user is not locked out at `nowMs`, the counters
   * become lockout.ts's `afterFailure` (quiet reset, one more failure, the lockout it
   * starts). The attempt that reaches the threshold thus locks out every later one while
   * it is still being checked, whatever the concurrency, across processes. True when
   * admitted; false when locked out (or no such user). A right password clears the
   * counters afterwards (updateUser).
   */
  reserveSignInAttempt(sub: string, nowMs: number, rule: SignInAttemptRule): Promise<boolean>;
  getAttributes(sub: string): Promise<Attributes>;
  getAttributesOfMany(subs: string[]): Promise<Map<string, Attributes>>;
  /** Upserts the given attributes. A name or value containing U+0000 is refused (throws, nothing written). */
  setAttributes(poolId: string, sub: string, attributes: Attributes): Promise<void>;
  deleteAttributes(sub: string, names: string[]): Promise<void>;
  deleteUser(sub: string): Promise<void>;
  listUsers(query: UserListQuery): Promise<User[]>;
}

export interface CodesPort {
  /** Replaces the user's live code for this purpose. */
  putCode(code: StoredCode): Promise<void>;
  findCode(userSub: string, purpose: CodePurpose): Promise<StoredCode | undefined>;
  /** Adds one failed attempt and returns the new count; 0 when the code no longer exists. */
  recordCodeFailure(id: string): Promise<number>;
  deleteCode(id: string): Promise<void>;
  /** Deletes the user's live code for this purpose, if any: it must not be usable any more. */
  voidCode(userSub: string, purpose: CodePurpose): Promise<void>;
}

export interface SessionsPort {
  createSession(session: Session): Promise<void>;
  findSession(id: string): Promise<Session | undefined>;
  findSessionByRefreshHash(hash: string): Promise<Session | undefined>;
  revokeSession(id: string, nowMs: number): Promise<void>;
  revokeUserSessions(userSub: string, nowMs: number): Promise<void>;
}

/** Fixed-window counters shared by every process through the database. */
export interface LimitsPort {
  /**
   * Adds `hits` (default one) to `key`'s window starting at `windowStartMs` in one atomic
   * statement; returns the count after it. (The HTTP rate limiter writes its hits in batches.)
   */
  hit(key: string, windowStartMs: number, hits?: number): Promise<number>;
  /**
   * The sign-in lockout of a name without a user (PreventUserExistenceErrors): as
   * UsersPort.reserveSignInAttempt, for the counters kept under `key` (pool and normalised
   * name) — every attempt is a failure. True when admitted, false when locked out.
   */
  reserveNameSignInAttempt(key: string, nowMs: number, rule: SignInAttemptRule): Promise<boolean>;
  /** Deletes windows that started before `beforeMs`, and name lockouts that ended before it. */
  prune(beforeMs: number): Promise<void>;
}
