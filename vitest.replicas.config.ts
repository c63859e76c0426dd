import { defineConfig } from "vitest/config";

/**
 * Replica tests: several bridge processes on one PostgreSQL database, one of them killed midway.
 * They cannot run on PGlite, so without a server they refuse to start (never a silent skip).
 */
if (!process.env.TEST_DATABASE_URL) {
  throw new Error(
    "vitest.replicas.config.ts: TEST_DATABASE_URL is not set. The replica tests need a PostgreSQL server, e.g.\n" +
      "  TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx vitest run --config vitest.replicas.config.ts",
  );
}

export default defineConfig({
  test: {
    include: ["test/replicas/**/*.test.ts"],
    testTimeout: 240_000,
    hookTimeout: 120_000,
    pool: "forks",
    // The crash test starts three bridges on a 2-core machine: nothing else alongside it.
    maxWorkers: 1,
    fileParallelism: false,
  },
});
