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

export function createStore(opened: OpenedDatabase): Store {
  const { db, dialect } = opened;
  return {
    ...portsOver(db, dialect),
    dialect,
    schema: opened.schema,
    db,
    transaction: (fn) => db.transaction().execute((trx) => fn(portsOver(trx, dialect))),
    close: () => opened.close(),
  };
}
