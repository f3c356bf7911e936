/**
 * Live updates across servers (issue 16 item 4): two API servers on one PostgreSQL database; a
 * run of the real SDK logs through server A while a client polls server B the way the web UI
 * does (the run, the project's run list, a chart's series, the history). Each poll reads A
 * first and B right after: B must never be behind what A already answered — no server keeps a
 * per-process cache of run data on PostgreSQL, so B's next poll shows each step A acknowledged —
 * and B must show the run growing while it runs, not only at its end.
 * Skipped only where the PostgreSQL server binaries are absent.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apiPaths,
  parseExtended,
  runDtoSchema,
  runListResponseSchema,
  seriesResponseSchema,
  type RunRef,
} from "@stepwise/protocol";
import { startTestServer, type TestServer } from "./http-harness.js";
import { historyOf, loggedRow, startFleetRun } from "./support/fleet-runs.js";
import { postgresMissing, startPostgres, type PostgresProcess } from "./support/postgres-process.js";

/** 10 rows every 25 ms: the run logs for about 8 s. */
const ROWS = 3000;
/** The UI's quickest poll is every 2 s (a running run); polling faster makes the check stricter. */
const POLL_MS = 250;

const missing = postgresMissing();
let postgres: PostgresProcess | null = null;
beforeAll(async () => {
  if (missing === null) postgres = await startPostgres();
}, 60_000);
afterAll(async () => {
  await postgres?.stop();
}, 60_000);

/** What a polling client sees of the run through `server`: rows counted four ways. */
async function poll(
  server: TestServer,
  ref: RunRef,
): Promise<{ run: number; listed: number; charted: number; rows: number }> {
  const run = runDtoSchema.parse(parseExtended(await (await server.fetch(apiPaths.run(ref))).text()));
  const list = runListResponseSchema.parse(
    parseExtended(await (await server.fetch(apiPaths.runs(ref.entity, ref.project))).text()),
  );
  const charted = await server.send("POST", apiPaths.series(), { runs: [ref], keys: ["loss"], buckets: 100 });
  const [loss] = seriesResponseSchema.parse(parseExtended(await charted.text())).series;
  return {
    run: run.offsets.history,
    listed: list.runs.find((r) => r.id === ref.runId)?.offsets.history ?? -1,
    charted: loss?.count ?? 0,
    rows: (await historyOf(server.url, ref)).length,
  };
}

describe.skipIf(missing !== null)(
  `live updates across servers on PostgreSQL${missing === null ? "" : ` (skipped: ${missing})`}`,
  () => {
    it("shows a client polling server B every step that server A acknowledged, at its next poll", async () => {
      const database = await (postgres as PostgresProcess).createDatabase();
      const dataDir = await mkdtemp(join(tmpdir(), "stepwise-fleet-live-"));
      let runDir: string | null = null;
      try {
        await using a = await startTestServer({ database }, dataDir);
        await using b = await startTestServer({ database }, dataDir);
        const logged = startFleetRun(0, a.url, ROWS, { perTick: 10, tickMs: 25 });
        runDir = logged.dir;
        const ref = await logged.ref;
        let done = false;
        void logged.finished.finally(() => (done = true));
        const seenOnB = new Set<number>();
        while (!done) {
          await new Promise((resolve) => setTimeout(resolve, POLL_MS));
          if ((await a.fetch(apiPaths.run(ref))).status === 404) continue; // not created yet
          const onA = await poll(a, ref);
          const onB = await poll(b, ref);
          // Each count on B is at least what A answered just before (the run row first, so the
          // rows it counts are committed).
          expect(onB.run).toBeGreaterThanOrEqual(onA.run);
          expect(onB.listed).toBeGreaterThanOrEqual(onA.run);
          expect(onB.charted).toBeGreaterThanOrEqual(onA.run);
          expect(onB.rows).toBeGreaterThanOrEqual(onA.run);
          seenOnB.add(onB.run);
        }
        await logged.finished;
        expect(await historyOf(b.url, ref)).toEqual(Array.from({ length: ROWS }, (_, i) => loggedRow(0, i)));
        // B showed the run growing, not only its end.
        expect([...seenOnB].filter((n) => n > 0 && n < ROWS).length).toBeGreaterThanOrEqual(3);
      } finally {
        if (runDir !== null) await rm(runDir, { recursive: true, force: true });
        await rm(dataDir, { recursive: true, force: true });
      }
    }, 90_000);
  },
);
