// Assembles the ports over one database handle, and runs a callback in one transaction.
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { Dialect, OpenedDatabase } from './database.js';
import { SqlPools } from './pools.js';
import { SqlClients } from './clients.js';
import { SqlUsers } from './users.js';
import { SqlCodes } from './codes.js';
import { SqlSessions } from './sessions.js';
import { SqlLimits } from './limits.js';
import { SqlOutbox } from './outbox.js';
import { SqlKeys } from './keys.js';
import { SqlSettings } from './settings.js';
import { SqlDomains } from './domains.js';
import { inPgLockedTransaction, inSqliteWriteTransaction } from './locks.js';
import type { Ports, Store } from '../ports.js';
import { isReady } from './database.js';

/** The store as storage builds it: the ports plus the handle that opens, migrates and tests it. */
export interface SqlStore extends Store {
  dialect: Dialect;
  /** PostgreSQL schema of the tables, when not the default. */
  schema: string | undefined;
  db: Kysely<Database>;
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
function lockedStore(db: Kysely<Database>, dialect: Dialect, schema: string | undefined): SqlStore {
  const ports = portsOver(db, dialect);
  const store: SqlStore = {
    ...ports,
    health: { isReady: () => isReady(db, schema) },
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

export function createStore(opened: OpenedDatabase): SqlStore {
  const { db, dialect, schema } = opened;
  return {
    ...portsOver(db, dialect),
    health: { isReady: () => isReady(db, schema) },
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
