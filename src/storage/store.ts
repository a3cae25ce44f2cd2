// Assembles the ports over one database handle, and runs a callback in one transaction.
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { Dialect, OpenedDatabase } from './database.js';
import { SqlClients, SqlPools } from './pools.js';
import { SqlUsers } from './users.js';
import { SqlCodes, SqlLimits, SqlSessions } from './codes.js';
import { SqlOutbox } from './outbox.js';
import { SqlKeys, SqlSettings } from './keys.js';
import { SqlDomains } from './domains.js';
import { inPgLockedTransaction, inSqliteWriteTransaction } from './locks.js';
import type { ClientsPort, CodesPort, LimitsPort, PoolsPort, SessionsPort, UsersPort } from '../userpool/ports.js';
import type { OutboxPort } from '../mail/queue/ports.js';
import type { KeysPort, SettingsPort } from '../tokens/ports.js';
import type { DomainsPort } from '../domains/ports.js';

export interface Ports {
  pools: PoolsPort;
  clients: ClientsPort;
  users: UsersPort;
  codes: CodesPort;
  sessions: SessionsPort;
  limits: LimitsPort;
  outbox: OutboxPort;
  keys: KeysPort;
  settings: SettingsPort;
  domains: DomainsPort;
}

export interface Store extends Ports {
  dialect: Dialect;
  /** PostgreSQL schema of the tables, when not the default. */
  schema: string | undefined;
  db: Kysely<Database>;
  /** Runs `fn` in one database transaction: everything it writes lands, or nothing does. */
  transaction<T>(fn: (tx: Ports) => Promise<T>): Promise<T>;
  /**
   * Runs first-start initialisation (create-if-missing: the first signing key, the demo pool)
   * holding a database-wide lock, in one transaction: processes starting together on one
   * empty database run it one after another, so the later one finds what the first created.
   * `fn` gets a store bound to that transaction (its `transaction` runs inline); it must do
   * all its database work through it — on SQLite the one connection is held until it returns.
   */
  withStartupLock<T>(fn: (locked: Store) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

function portsOver(db: Kysely<Database>, dialect: Dialect): Ports {
  return {
    pools: new SqlPools(db),
    clients: new SqlClients(db),
    users: new SqlUsers(db),
    codes: new SqlCodes(db),
    sessions: new SqlSessions(db),
    limits: new SqlLimits(db),
    outbox: new SqlOutbox(db, dialect),
    keys: new SqlKeys(db),
    settings: new SqlSettings(db),
    domains: new SqlDomains(db),
  };
}

/** A store inside an already-open transaction that holds the startup lock. */
function lockedStore(db: Kysely<Database>, dialect: Dialect, schema: string | undefined): Store {
  const ports = portsOver(db, dialect);
  const store: Store = {
    ...ports,
    dialect,
    schema,
    db,
    // Already atomic: an action's transaction becomes part of the startup transaction.
    transaction: (fn) => fn(ports),
    withStartupLock: (fn) => fn(store),
    close: () => Promise.reject(new Error('the startup lock\'s store is closed with the store that opened it')),
  };
  return store;
}

export function createStore(opened: OpenedDatabase): Store {
  const { db, dialect, schema } = opened;
  return {
    ...portsOver(db, dialect),
    dialect,
    schema,
    db,
    transaction: (fn) => db.transaction().execute((trx) => fn(portsOver(trx, dialect))),
    withStartupLock: (fn) =>
      dialect === 'sqlite'
        ? inSqliteWriteTransaction(db, (conn) => fn(lockedStore(conn, dialect, schema)))
        : inPgLockedTransaction(db, 'todoku.startup', (trx) => fn(lockedStore(trx, dialect, schema))),
    close: () => opened.close(),
  };
}
