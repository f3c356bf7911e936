/**
 * finish() under server faults, with real server processes and real training children:
 * - the server is SIGKILLed and comes back on the same port only after 16 s (longer than the old
 *   10 s give-up) while several runs finish: every run waits, ends synced and finished, with
 *   every row it logged;
 * - a run whose finish gave up (server SIGSTOPped) is marked crashed by the sweeper; `stepwise
 *   sync` then completes it: failed with its own exit code and runtime, never `running` on the way.
 * Rows are compared with what the children logged (loss = 1/(s+1), half = s/2 at step s).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCliWith } from "./cli/spawn-cli.js";
import {
  fetchHistory,
  fetchRun,
  startServerProcess,
  waitFor,
  type RunPath,
  type ServerProcess,
} from "./support/server-process.js";
import { useTempDirs } from "./support/temp-dir.js";
import { startUploadChild } from "./support/upload-child.js";

const tempDir = useTempDirs();

async function withServers<T>(fn: (started: ServerProcess[]) => Promise<T>): Promise<T> {
  const started: ServerProcess[] = [];
  try {
    return await fn(started);
  } finally {
    for (const server of started) {
      if (server.child.signalCode === null && server.child.exitCode === null) server.child.kill("SIGCONT");
      await server.kill("SIGTERM");
    }
  }
}

function checkRows(history: Array<Record<string, unknown>>, logged: number): void {
  expect(history.map((row) => row["_step"])).toEqual(Array.from({ length: logged }, (_, i) => i));
  for (const row of history) {
    const step = row["_step"] as number;
    expect(row["loss"]).toBe(1 / (step + 1));
    expect(row["half"]).toBe(step / 2);
  }
}

describe("finish() and sync under server faults", () => {
  it("waits through a server restart that takes 16 s: all runs end synced and finished", async () => {
    await withServers(async (started) => {
      const data = tempDir();
      const first = await startServerProcess(data);
      started.push(first);
      const control = join(tempDir(), "control");
      mkdirSync(control);
      const RUNS = 4;
      const BEFORE = 2000;
      const AFTER = 3000;
      const children = Array.from({ length: RUNS }, () =>
        startUploadChild("finish-later.mjs", [
          tempDir(),
          first.url,
          control,
          String(BEFORE),
          String(AFTER),
          "0",
        ]),
      );
      const runs = await Promise.all(children.map((child) => child.run));
      for (const run of runs)
        await waitFor(
          async () => Number((await fetchRun(first.url, run))?.["lastStep"] ?? -1) >= BEFORE - 1,
          20_000,
          "the first rows on the server",
        );
      await first.kill("SIGKILL");
      writeFileSync(join(control, "go"), "");
      await new Promise((resolve) => setTimeout(resolve, 16_000));
      const second = await startServerProcess(data, { port: first.port });
      started.push(second);
      const exits = await Promise.all(children.map((child) => child.exit));
      for (const [i, exit] of exits.entries()) {
        expect(exit.code, exit.stderr).toBe(0);
        expect(exit.stderr).not.toContain("not uploaded yet");
        const run = runs[i] as RunPath;
        expect(await fetchRun(second.url, run)).toMatchObject({ state: "finished", exitCode: 0 });
        checkRows(await fetchHistory(second.url, run), BEFORE + AFTER);
        const finishMs = exit.lines[0]?.["finishMs"] as number;
        expect(finishMs).toBeGreaterThan(10_000);
      }
    });
  }, 90_000);

  it("a run marked crashed and then completed by sync ends failed with its own exit code and runtime", async () => {
    await withServers(async (started) => {
      const server = await startServerProcess(tempDir(), { crashTimeoutS: 1 });
      started.push(server);
      const control = join(tempDir(), "control");
      mkdirSync(control);
      const BEFORE = 1000;
      const AFTER = 25_000; // three batches of at most 10,000 rows for sync
      const child = startUploadChild("finish-later.mjs", [
        tempDir(),
        server.url,
        control,
        String(BEFORE),
        String(AFTER),
        "3",
        "1500",
      ]);
      const run = await child.run;
      await waitFor(
        async () => Number((await fetchRun(server.url, run))?.["lastStep"] ?? -1) >= BEFORE - 1,
        20_000,
        "the first rows on the server",
      );
      server.child.kill("SIGSTOP");
      writeFileSync(join(control, "go"), "");
      const exit = await child.exit;
      expect(exit.code).toBe(0);
      expect(exit.stderr).toContain(`npx stepwise sync ${run.dir}`);
      server.child.kill("SIGCONT");
      await waitFor(
        async () => (await fetchRun(server.url, run))?.["state"] === "crashed",
        15_000,
        "crashed",
      );
      await new Promise((resolve) => setTimeout(resolve, 2000)); // a runtime that grew to the sync would show it

      const states = new Set<unknown>();
      let syncing = true;
      const watching = (async () => {
        while (syncing) {
          states.add((await fetchRun(server.url, run))?.["state"]);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      })();
      const synced = await runCliWith(["sync", run.dir, "--base-url", server.url, "--json"]);
      syncing = false;
      await watching;
      expect(synced.code, synced.stderr).toBe(0);
      expect(states.has("running"), [...states].join(",")).toBe(false);

      const stored = await fetchRun(server.url, run);
      expect(stored).toMatchObject({ state: "failed", exitCode: 3 });
      const runtime = (stored?.["finishedAt"] as number) - (stored?.["createdAt"] as number);
      const logged = exit.lines[0]?.["runtime"] as number;
      expect(Math.abs(runtime - logged)).toBeLessThan(0.5);
      checkRows(await fetchHistory(server.url, run), BEFORE + AFTER);
      await new Promise((resolve) => setTimeout(resolve, 2000)); // the sweeper leaves it alone
      expect(await fetchRun(server.url, run)).toMatchObject({ state: "failed", exitCode: 3 });
    });
  }, 90_000);
});
