// SettingsPort's contract suite (tests/contract/ports/settings.ts) on this run's database: SQLite, or
// PostgreSQL in a schema of its own when TODOKU_TEST_DB=postgres (vitest.config.ts).
import { openTestStore } from '../helpers/db.js';
import { settingsContract } from './ports/settings.js';

settingsContract(openTestStore);
