import { defineConfig } from "vitest/config";

/**
 * Tests that start the real bridge as child processes and SIGKILL it dozens of times. Each kill
 * costs a process start (a few CPU seconds), so next to two other test files on a 2-core machine
 * they ran three times slower than alone and once ran out of time in CI. They run after the rest,
 * one file at a time.
 */
const KILL_TESTS = ["test/faults/kill-*.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    projects: [
      {
        extends: true,
        test: {
          name: "main",
          include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
          // Browser and replica tests have configs of their own (vitest.browser/replicas.config.ts).
          exclude: ["test/browser/**", "test/replicas/**", "node_modules/**", ...KILL_TESTS],
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: "kills",
          include: KILL_TESTS,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
