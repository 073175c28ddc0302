import { defineConfig } from 'vitest/config';

/**
 * Two projects: `postgres` holds the files that need a PostgreSQL server (its globalSetup starts a
 * throwaway cluster, or uses COGNATE_TEST_DATABASE_URL), so a run without them starts none. A file
 * that calls createTestDatabase() belongs here: name it postgres*.test.ts or put it under test/store/.
 */
const POSTGRES_FILES = ['test/store/**/*.test.ts', 'test/**/postgres*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      { extends: true, test: { name: 'main', include: ['test/**/*.test.ts'], exclude: POSTGRES_FILES } },
      { extends: true, test: { name: 'postgres', include: POSTGRES_FILES, globalSetup: ['test/helpers/postgres-cluster.ts'] } },
    ],
  },
});
