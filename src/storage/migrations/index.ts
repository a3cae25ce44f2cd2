import type { Migration } from 'kysely';
import * as m0001 from './0001-initial.js';
import * as m0002 from './0002-domains.js';
import * as m0003 from './0003-temporary-password-issued-at.js';
import * as m0004 from './0004-delivery-attempts.js';
import * as m0005 from './0005-pending-email.js';
import * as m0006 from './0006-name-lockouts.js';
import * as m0007 from './0007-outbox-at-rest.js';

/**
 * Every migration, in order. Names sort lexically; add a new file and a line here —
 * never edit a migration that has shipped.
 */
export const migrations: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-domains': m0002,
  '0003-temporary-password-issued-at': m0003,
  '0004-delivery-attempts': m0004,
  '0005-pending-email': m0005,
  '0006-name-lockouts': m0006,
  '0007-outbox-at-rest': m0007,
};
