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
    // Servers a test starts as processes inherit this environment: every test client is 127.0.0.1 and some
    // tests send hundreds of requests a second, so the rate limits are far above that (tests of the limits
    // set their own: test/integration/rate-limits.test.ts).
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', COGNATE_RATE_LIMIT_PER_IP: '100000', COGNATE_RATE_LIMIT_PER_POOL: '100000' },
    projects: [
      { extends: true, test: { name: 'main', include: ['test/**/*.test.ts'], exclude: POSTGRES_FILES } },
      { extends: true, test: { name: 'postgres', include: POSTGRES_FILES, globalSetup: ['test/helpers/postgres-cluster.ts'] } },
    ],
  },
});
