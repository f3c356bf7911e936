/**
 * Any server of a fleet can be killed at any moment (issue 16 item 4): three API server
 * processes on one PostgreSQL database and one S3 bucket (s3rver), behind a round-robin proxy
 * (support/fleet-proxy.ts) so that every run's requests land on all three. Five runs of the real
 * SDK (one process each) log rows and save a file; one server is SIGKILLed while they stream.
 * Every run's history, read back through a surviving server, is then exactly the rows the test
 * logged — no gap, no duplicate —, its file is byte-exact, and no client was answered 500.
 * Skipped only where the PostgreSQL server binaries are absent.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFleetProxy } from "./support/fleet-proxy.js";
import { historyOf, loggedRow, runStateOf, savedFileSha256, startFleetRun } from "./support/fleet-runs.js";
import { postgresMissing, startPostgres, type PostgresProcess } from "./support/postgres-process.js";
import { startS3Process, type S3Process } from "./support/s3-process.js";
import { startServerProcess, type ServerProcess } from "./support/server-process.js";

const RUNS = 5;
const ROWS = 6000;
/** 30 rows every 20 ms: each run streams for about 4 s (longer on a loaded machine). */
const PACE = { perTick: 30, tickMs: 20 };

const missing = postgresMissing();
let postgres: PostgresProcess | null = null;
let s3: S3Process | null = null;
const dirs: string[] = [];
beforeAll(async () => {
  if (missing !== null) return;
  [postgres, s3] = await Promise.all([startPostgres(), startS3Process()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([postgres?.stop(), s3?.stop()]);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe.skipIf(missing !== null)(
  `a fleet of API servers under faults${missing === null ? "" : ` (skipped: ${missing})`}`,
  () => {
    it("keeps every row of 5 runs exactly once when one of three servers is SIGKILLed mid-stream", async () => {
      const database = await (postgres as PostgresProcess).createDatabase();
      const { bucket, env: s3env } = s3 as S3Process;
      const dataDir = mkdtempSync(join(tmpdir(), "stepwise-fleet-kill-"));
      dirs.push(dataDir);
      const env = { ...s3env, STEPWISE_DATABASE_URL: database, STEPWISE_BLOBS: `s3://${bucket}/fleet-kill` };
      // Started at once: the three migrate the empty database once between them.
      const servers: ServerProcess[] = await Promise.all(
        [0, 1, 2].map(() => startServerProcess(dataDir, env)),
      );
      const proxy = await startFleetProxy(servers.map((s) => s.url));
      try {
        const runs = Array.from({ length: RUNS }, (_, i) => startFleetRun(i, proxy.url, ROWS, PACE));
        dirs.push(...runs.map((r) => r.dir));
        const refs = await Promise.all(runs.map((r) => r.ref));
        let finished = 0;
        for (const run of runs)
          void run.finished.then(
            () => finished++,
            () => undefined,
          );
        // Once every server has answered each run about once, the second dies without a word.
        while (proxy.served.some((n) => n < RUNS)) await new Promise((resolve) => setTimeout(resolve, 20));
        await (servers[1] as ServerProcess).stop("SIGKILL");
        const servedBeforeKill = [...proxy.served];
        expect(finished).toBe(0);
        await Promise.all(runs.map((r) => r.finished));

        const survivor = (servers[2] as ServerProcess).url;
        for (const [index, ref] of refs.entries()) {
          expect(await historyOf(survivor, ref)).toEqual(
            Array.from({ length: ROWS }, (_, i) => loggedRow(index, i)),
          );
          expect(await runStateOf(survivor, ref)).toEqual({
            state: "finished",
            file: savedFileSha256(index),
          });
        }
        // The two other servers answered after the kill, the dead one no more; none answered 500
        // (502: the proxy's answer for a server that died mid-request).
        expect(proxy.served[1]).toBe(servedBeforeKill[1]);
        expect((proxy.served[0] as number) + (proxy.served[2] as number)).toBeGreaterThan(
          (servedBeforeKill[0] as number) + (servedBeforeKill[2] as number) + RUNS,
        );
        expect(proxy.statuses.filter((status) => status >= 500 && status !== 502 && status !== 503)).toEqual(
          [],
        );
        for (const server of servers) expect(server.stderr()).not.toContain("internal error");
      } finally {
        await proxy.close();
        await Promise.all(servers.map((s) => s.stop("SIGTERM")));
      }
    }, 120_000);
  },
);
