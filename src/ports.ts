// The ports the core works through, assembled: what a flow may ask of the outside world.
// Each feature declares its own port interfaces (userpool/ports.ts, tokens/ports.ts,
// mail/queue/ports.ts, domains/ports.ts); storage implements them and imports nothing else
// of ours. Flows see `Ports`/`Store` only — never SQL, a dialect or a schema.
import type { ClientsPort, CodesPort, LimitsPort, PoolsPort, SessionsPort, UsersPort } from './userpool/ports.js';
import type { OutboxPort } from './mail/queue/ports.js';
import type { KeysPort, SettingsPort } from './tokens/ports.js';
import type { DomainsPort } from './domains/ports.js';

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

/** GET /health: the database answers and its migrations are applied. */
export interface HealthPort {
  isReady(): Promise<boolean>;
}

export interface Store extends Ports {
  health: HealthPort;
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
