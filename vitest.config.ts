import { defineConfig } from 'vitest/config';

// Every test runs on SQLite. With TODOKU_TEST_DATABASE_URL set (CI), the tests that touch
// storage (e2e and contract) run a second time on PostgreSQL.
const perProject = { testTimeout: 30_000, hookTimeout: 60_000, pool: 'forks' as const };
const withPostgres = Boolean(process.env.TODOKU_TEST_DATABASE_URL);
// The AWS SDK warns once per test file that its 2027 releases need Node 22 (we know: see README).
const quiet = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

export default defineConfig({
  test: {
    ...perProject,
    // 2-core machine: argon2 and RSA are CPU bound; more forks only add contention.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    projects: [
      { test: { ...perProject, name: 'sqlite', include: ['tests/**/*.test.ts'], env: { ...quiet, TODOKU_TEST_DB: 'sqlite' } } },
      ...(withPostgres
        ? [{ test: { ...perProject, name: 'postgres', include: ['tests/e2e/**/*.test.ts', 'tests/contract/**/*.test.ts'], env: { ...quiet, TODOKU_TEST_DB: 'postgres' } } }]
        : []),
    ],
  },
});
