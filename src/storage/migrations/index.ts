import type { Migration } from 'kysely';
import * as m0001 from './0001-initial.js';

/**
 * Every migration, in order. Names sort lexically; add a new file and a line here —
 * never edit a migration that has shipped.
 */
export const migrations: Record<string, Migration> = {
  '0001-initial': m0001,
};
