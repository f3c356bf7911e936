/**
 * Fault tests of online mode against a real server in a child process: the server killed while
 * runs stream, the training process killed, the server down when init() runs. In every case
 * the server ends up with exactly the rows that were logged: no gaps, no duplicates.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { iterateHistory } from "../src/index.js";
import {
  fetchHistory,
  fetchRun,
  freePort,
  startServerProcess,
  waitFor,
  type RunPath,
} from "./support/server-process.js";
import { useTempDirs } from "./support/temp-dir.js";
import { startUploadChild, type UploadChild } from "./support/upload-child.js";

const tempDir = useTempDirs();
const CLI = fileURLToPath(new URL("../../cli/bin/stepwise.js", import.meta.url));

/** The row `upload-stream.mjs` logs at index `i` (and so at step `i`). */
function loggedRow(i: number): Record<string, number> {
  return {
    _step: i,
    a: i,
    b: i * 0.5,
    c: -i - 1,
    d: i % 7,
    e: Math.sin(i),
    f: 1 / (i + 1),
    g: i * 2,
    h: 3,
    k: i / 3,
    m: i % 11,
  };
}

/**
 * The server holds exactly the rows the child logged, in order, each once: all `count` of them,
 * or (for a killed child, `count` null) a prefix at least as long as what its run log holds.
 */
async function expectServerHasLogged(
  url: string,
  run: RunPath & { dir: string },
  count: number | null,
): Promise<void> {
  const remote = (await fetchHistory(url, run)).map((row) => {
    const { _runtime: _r, _timestamp: _t, ...values } = row;
    return values;
  });
  const expected = count ?? Math.max(remote.length, [...iterateHistory(run.dir)].length);
  expect(remote).toEqual(Array.from({ length: expected }, (_, i) => loggedRow(i)));
}

/** The children's exits, or an error naming those still running after `ms`, with their stderr. */
async function exitsWithin(
  children: UploadChild[],
  ms: number,
): Promise<Array<Awaited<UploadChild["exit"]>>> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const running = children
        .map((child, index) => ({ child, index }))
        .filter(({ child }) => child.child.exitCode === null && child.child.signalCode === null);
      // Each one still running prints its upload status (see upload-stream.mjs) before the report.
      for (const { child } of running) child.child.kill("SIGUSR2");
      setTimeout(
        () =>
          reject(
            new Error(
              `${running.length} children still running after ${ms} ms:\n` +
                running.map(({ index, child }) => `#${index}: ${child.stderrSoFar()}`).join("\n"),
            ),
          ),
        1000,
      );
    }, ms);
  });
  try {
    return await Promise.race([Promise.all(children.map((c) => c.exit)), late]);
  } finally {
    clearTimeout(timer);
  }
}

describe("online mode under faults", () => {
  it("keeps every row exactly once when the server is SIGKILLed and restarted while 5 runs stream", async () => {
    const data = tempDir();
    let server = await startServerProcess(data);
    const children = Array.from({ length: 5 }, () =>
      startUploadChild("upload-stream.mjs", [tempDir(), server.url, "3000", "100", "20"], {
        STEPWISE_TEST_VERBOSE: "1",
      }),
    );
    const runs = await Promise.all(children.map((c) => c.run));
    await new Promise((resolve) => setTimeout(resolve, 400));
    await server.kill("SIGKILL");
    await new Promise((resolve) => setTimeout(resolve, 600));
    server = await startServerProcess(data, { port: server.port });
    try {
      const exits = await exitsWithin(children, 45_000);
      for (const exit of exits) expect(exit.code, exit.stderr).toBe(0);
      for (const run of runs) {
        await expectServerHasLogged(server.url, run, 3000);
        expect(await fetchRun(server.url, run)).toMatchObject({ state: "finished", summary: { done: true } });
      }
    } finally {
      await server.kill("SIGTERM");
    }
  }, 60_000);

  it("marks a SIGKILLed training process crashed, and `stepwise sync` completes its data", async () => {
    const server = await startServerProcess(tempDir(), { crashTimeoutS: 1 });
    try {
      const training = startUploadChild("upload-stream.mjs", [tempDir(), server.url, "-1", "50", "10"]);
      const run = await training.run;
      await waitFor(async () => (await fetchRun(server.url, run)) !== null, 10_000, "the run on the server");
      await new Promise((resolve) => setTimeout(resolve, 500));
      training.child.kill("SIGKILL");
      await training.exit;
      await waitFor(
        async () => (await fetchRun(server.url, run))?.["state"] === "crashed",
        10_000,
        "crashed",
      );

      const sync = await promisify(execFile)(process.execPath, [
        CLI,
        "sync",
        "--json",
        "--base-url",
        server.url,
        run.dir,
      ]);
      const result = JSON.parse(sync.stdout) as Record<string, unknown>;
      expect(result).toMatchObject({ status: expect.stringMatching(/synced/) as string, crashed: true });
      await expectServerHasLogged(server.url, run, null);

      const again = await promisify(execFile)(process.execPath, [
        CLI,
        "sync",
        "--json",
        "--base-url",
        server.url,
        run.dir,
      ]);
      expect(JSON.parse(again.stdout)).toMatchObject({ status: "already-synced", requests: 0 });
    } finally {
      await server.kill("SIGTERM");
    }
  }, 45_000);

  it("logs at full speed while the server is down at init(), and uploads everything once it is up", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const data = tempDir();
    // About 12 s of training (30,000 rows, 100 every 40 ms); the server appears 10 s after init().
    const training = startUploadChild("upload-stream.mjs", [tempDir(), url, "30000", "100", "40"]);
    const run = await training.run;
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const server = await startServerProcess(data, { port });
    try {
      const exit = await training.exit;
      expect(exit.code, exit.stderr).toBe(0);
      expect(exit.stderr).toContain("server not reachable");
      const timings = exit.lines[0] as { initMs: number; slowestLogMs: number };
      expect(timings.initMs).toBeLessThan(2000);
      expect(timings.slowestLogMs).toBeLessThan(50);
      await expectServerHasLogged(server.url, run, 30000);
      expect(await fetchRun(server.url, run)).toMatchObject({ state: "finished" });
    } finally {
      await server.kill("SIGTERM");
    }
  }, 60_000);

  it("tells how to send the rest when finish() times out with the server unreachable", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const child = startUploadChild("upload-finish-timeout.mjs", [tempDir(), url]);
    const { dir } = await child.run;
    const exit = await child.exit;
    expect(exit.code).toBe(0);
    expect(exit.stderr).toMatch(/\d+ records not uploaded yet; run `npx stepwise sync .+`/);
    expect(exit.stderr).toContain(join(dir));
  }, 20_000);
});
