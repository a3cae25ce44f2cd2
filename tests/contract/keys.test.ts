// KeysPort's contract suite (tests/contract/ports/keys.ts) on this run's database: SQLite, or
// PostgreSQL in a schema of its own when TODOKU_TEST_DB=postgres (vitest.config.ts).
import { openTestStore } from '../helpers/db.js';
import { keysContract } from './ports/keys.js';

keysContract(openTestStore);
