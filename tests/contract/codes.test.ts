// CodesPort's contract suite (tests/contract/ports/codes.ts) on this run's database: SQLite, or
// PostgreSQL in a schema of its own when TODOKU_TEST_DB=postgres (vitest.config.ts).
import { openTestStore } from '../helpers/db.js';
import { codesContract } from './ports/codes.js';

codesContract(openTestStore);
