// DomainsPort's contract suite (tests/contract/ports/domains.ts) on this run's database: SQLite, or
// PostgreSQL in a schema of its own when TODOKU_TEST_DB=postgres (vitest.config.ts).
import { openTestStore } from '../helpers/db.js';
import { domainsContract } from './ports/domains.js';

domainsContract(openTestStore);
