// PoolsPort's contract suite (tests/contract/ports/pools.ts) on this run's database: SQLite, or
// PostgreSQL in a schema of its own when TODOKU_TEST_DB=postgres (vitest.config.ts).
import { openTestStore } from '../helpers/db.js';
import { poolsContract } from './ports/pools.js';

poolsContract(openTestStore);
