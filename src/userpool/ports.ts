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

/** The lockout counters of a user (see userpool/lockout.ts). */
export interface SignInFailures {
  failedSignIns: number;
  lockedUntilMs: number;
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
   * Compare-and-set of the sign-in failure counters: writes `next` only while the row
   * still holds `expected`, so wrong passwords racing each other are all counted.
   * True when written.
   */
  setSignInFailures(sub: string, expected: SignInFailures, next: SignInFailures): Promise<boolean>;
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
  /** Deletes windows that started before `beforeMs`. */
  prune(beforeMs: number): Promise<void>;
}
