import { defineConfig } from "vitest/config";

/** Browser tests: a real bridge, the three simulators and Debian's Chromium driven by playwright-core. */
export default defineConfig({
  test: {
    include: ["test/browser/**/*.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    pool: "forks",
    maxWorkers: 1,
    fileParallelism: false,
  },
});
