// Three tiers in one run, one after the other: in-process and integration tests
// (`packages/*/test/**/*.test.ts`), the server's HTTP tests once more on PostgreSQL
// (packages/server/test/support/postgres-tier.ts), then the browser specs (`e2e/**/*.spec.ts`: a
// real server, the real SDK, Debian Chromium), one file at a time: each starts a server, a
// browser and SDK processes, and on a 2-core machine two of them at once (or beside the unit
// tests) made the timing checks (live updates within 3 s) flaky. `npm test` runs all three.
import { defineConfig } from "vitest/config";
import { POSTGRES_TIER_FILES } from "./packages/server/test/support/postgres-tier.js";

export default defineConfig({
  resolve: { conditions: ["source"] },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["packages/*/test/**/*.test.ts"],
          // Two files at a time even on 2 cores (vitest's default there is 1): most of these
          // wait on processes they start (servers, SDK children, PostgreSQL, the wandb client).
          maxWorkers: 2,
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        // The HTTP tests again on one PostgreSQL cluster, a fresh database per server.
        extends: true,
        test: {
          name: "postgres",
          include: POSTGRES_TIER_FILES,
          globalSetup: ["packages/server/test/support/postgres-global-setup.ts"],
          maxWorkers: 2,
          // Twice the unit tier's: 250,000 rows in and out as Parquet took 24 s here at load 15
          // (SQLite: 10 s).
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // After the unit tier, not beside it: four test files at once on 2 cores made the
          // unit tier's timing checks (a live step visible within 2 s) flaky.
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["e2e/**/*.spec.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
