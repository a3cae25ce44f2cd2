// LimitsPort's contract suite (tests/contract/ports/limits.ts) on this run's database: SQLite, or
// PostgreSQL in a schema of its own when TODOKU_TEST_DB=postgres (vitest.config.ts).
import { openTestStore } from '../helpers/db.js';
import { limitsContract } from './ports/limits.js';

limitsContract(openTestStore);
