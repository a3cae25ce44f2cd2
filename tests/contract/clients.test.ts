// ClientsPort's contract suite (tests/contract/ports/clients.ts) on this run's database: SQLite, or
// PostgreSQL in a schema of its own when TODOKU_TEST_DB=postgres (vitest.config.ts).
import { openTestStore } from '../helpers/db.js';
import { clientsContract } from './ports/clients.js';

clientsContract(openTestStore);
