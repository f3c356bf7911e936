/**
 * The database of a fleet stops for 10 s while runs log (issue 16 item 4): two API server
 * processes on one PostgreSQL behind a round-robin proxy, five SDK runs streaming, then
 * PostgreSQL stopped at once (every connection cut) and started again on the same data 10 s
 * later. Meanwhile the servers answer 503 with Retry-After and code UNAVAILABLE, never 500; once
 * it is back, no run has fewer rows than its SDK was acknowledged, and after `stepwise sync` of
 * what finish() may have left unsent, every run holds exactly the rows logged.
 * Commits are durable here (synchronous_commit on), as on a production database.
 * Skipped only where the PostgreSQL server binaries are absent.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiPaths, errorBodySchema, type RunRef } from "@stepwise/protocol";
import { startFleetProxy } from "./support/fleet-proxy.js";
import {
  acknowledgedRows,
  historyOf,
  loggedRow,
  runStateOf,
  savedFileSha256,
  serverRows,
  startFleetRun,
  syncRun,
} from "./support/fleet-runs.js";
import { postgresMissing, startPostgres, type PostgresProcess } from "./support/postgres-process.js";
import { startServerProcess, type ServerProcess } from "./support/server-process.js";

const RUNS = 5;
const ROWS = 6000;
const PACE = { perTick: 30, tickMs: 20 };
const OUTAGE_MS = 10_000;

const missing = postgresMissing();
let postgres: PostgresProcess | null = null;
const dirs: string[] = [];
beforeAll(async () => {
  if (missing === null) postgres = await startPostgres({ durableCommits: true });
}, 60_000);
afterAll(async () => {
  await postgres?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}, 60_000);

/** What a server answers a read and a batch while the database is down. */
async function answersDuringOutage(
  url: string,
  ref: RunRef,
): Promise<Array<[number, string | null, string]>> {
  const read = await fetch(url + apiPaths.run(ref));
  const write = await fetch(url + apiPaths.ingest(ref), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ history: { offset: 0, rows: [{ _step: 0, run: 0 }] } }),
  });
  return Promise.all(
    [read, write].map(async (r): Promise<[number, string | null, string]> => [
      r.status,
      r.headers.get("retry-after"),
      errorBodySchema.parse(await r.json()).error.code,
    ]),
  );
}

describe.skipIf(missing !== null)(
  `a fleet of API servers when the database stops${missing === null ? "" : ` (skipped: ${missing})`}`,
  () => {
    it("answers 503 while PostgreSQL is down for 10 s, then holds every row of 5 runs exactly once", async () => {
      const pg = postgres as PostgresProcess;
      const database = await pg.createDatabase();
      const dataDir = mkdtempSync(join(tmpdir(), "stepwise-fleet-outage-"));
      dirs.push(dataDir);
      const env = { STEPWISE_DATABASE_URL: database };
      const first = await startServerProcess(dataDir, env);
      const servers: ServerProcess[] = [first, await startServerProcess(dataDir, env)];
      const proxy = await startFleetProxy(servers.map((s) => s.url));
      try {
        const runs = Array.from({ length: RUNS }, (_, i) => startFleetRun(i, proxy.url, ROWS, PACE));
        dirs.push(...runs.map((r) => r.dir));
        let finished = 0;
        for (const run of runs)
          void run.finished.then(
            () => finished++,
            () => undefined,
          );
        const refs = await Promise.all(runs.map((r) => r.ref));
        // Every run has been acknowledged rows (an SDK that never reached a server waits only
        // 10 s in finish(), then leaves its data to `stepwise sync`).
        while ((await Promise.all(refs.map((ref) => serverRows(first.url, ref)))).some((n) => n === 0))
          await new Promise((resolve) => setTimeout(resolve, 50));
        const before = proxy.statuses.length;
        const outage = pg.outage(OUTAGE_MS);
        expect(finished).toBe(0); // they are still logging
        await new Promise((resolve) => setTimeout(resolve, 1000));
        for (const server of servers)
          expect(await answersDuringOutage(server.url, refs[0] as RunRef)).toEqual([
            [503, "5", "UNAVAILABLE"],
            [503, "5", "UNAVAILABLE"],
          ]);
        await outage;
        await Promise.all(runs.map((r) => r.finished));

        // Nothing the servers acknowledged was lost: each run's count on the servers is at least
        // what its SDK was answered. What finish() left unsent (its wait is bounded) goes with
        // `stepwise sync`, the SDK's path for it; then each run holds exactly what was logged.
        const runDirs = await Promise.all(runs.map((r) => r.runDir));
        for (const [index, ref] of refs.entries()) {
          const acknowledged = acknowledgedRows(runDirs[index] as string);
          expect(acknowledged, runs[index]?.stderr()).toBeGreaterThan(0);
          expect((await historyOf(first.url, ref)).length).toBeGreaterThanOrEqual(acknowledged);
          await syncRun(proxy.url, runDirs[index] as string);
        }
        for (const [index, ref] of refs.entries()) {
          expect(await historyOf(first.url, ref)).toEqual(
            Array.from({ length: ROWS }, (_, i) => loggedRow(index, i)),
          );
          expect(await runStateOf(first.url, ref)).toEqual({
            state: "finished",
            file: savedFileSha256(index),
          });
        }
        const during = proxy.statuses.slice(before);
        expect(during).toContain(503);
        expect(during.filter((status) => status >= 500 && status !== 503)).toEqual([]);
        for (const server of servers) expect(server.stderr()).not.toContain("internal error");
      } finally {
        await proxy.close();
        await Promise.all(servers.map((s) => s.stop("SIGTERM")));
      }
    }, 150_000);
  },
);
