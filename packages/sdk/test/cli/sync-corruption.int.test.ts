/**
 * The run-log corruption matrix: a logged run is damaged (cut at random points, one bit in each
 * kind of frame — header, key definition, key table, history row, run record, summary, exit —
 * and random flips), then `stepwise export <run-dir>` and `stepwise sync <run-dir>` to a real
 * server must agree row by row with what the test logged, minus exactly the rows of the damaged
 * frames; sync reports rows recovered, uploaded and unreadable, marks the run synced to that
 * server only when the server has every readable row, and exits 0 only then.
 */
import { readFileSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseExtended } from "@stepwise/protocol";
import { init } from "@stepwise/sdk";
import { flipBit, listFrames, type LogFrame } from "../support/log-frames.js";
import { fetchHistory, useServerForFile } from "../support/server-process.js";
import { runCli } from "./run-cli.js";
import { runCliWith } from "./spawn-cli.js";

const ROWS = 20_000;
const { server, tempDir } = useServerForFile();

/** What the test logs at step i (keys appear late, values of every tag kind). */
function values(i: number): Record<string, unknown> {
  return {
    loss: 1 / (i + 1),
    acc: (i % 97) / 97,
    nested: { v: i },
    ...(i % 1000 === 0 ? { note: `checkpoint ${i}` } : {}),
    ...(i >= 12_000 ? { late: -i } : {}),
  };
}

interface LoggedRun {
  dir: string;
  id: string;
  logFile: string;
  logged: Array<Record<string, unknown>>;
  frames: LogFrame[];
  /** The frame of each history row, in logged order. */
  rowFrames: LogFrame[];
}

async function loggedRun(): Promise<LoggedRun> {
  const run = await init({
    mode: "offline",
    dir: tempDir(),
    project: "corrupt",
    config: { lr: 0.1 },
    settings: { silent: true },
  });
  const logged: Array<Record<string, unknown>> = [];
  for (let i = 0; i < ROWS; i++) {
    run.log(values(i));
    logged.push({ _step: i, ...values(i) });
  }
  run.summary.set("best", 0.5);
  await run.finish();
  const logFile = join(run.dir, `run-${run.id}.swlog`);
  const frames = listFrames(logFile);
  const rowFrames = frames.filter((f) => f.kind === "row" || f.kind === "json-history");
  expect(rowFrames).toHaveLength(ROWS);
  return { dir: run.dir, id: run.id, logFile, logged, frames, rowFrames };
}

/** User keys and _step of a row (the SDK adds _runtime and _timestamp). */
function userRow(row: Record<string, unknown>): Record<string, unknown> {
  const { _runtime, _timestamp, ...rest } = row;
  void _runtime;
  void _timestamp;
  return rest;
}

function parseLines(text: string): Array<Record<string, unknown>> {
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => userRow(parseExtended(line) as Record<string, unknown>));
}

async function serverRows(id: string): Promise<Array<Record<string, unknown>>> {
  return (await fetchHistory(server.url, { entity: "local", project: "corrupt", id })).map(userRow);
}

interface SyncJson {
  status: string;
  crashed: boolean;
  rows: { recovered: number; uploaded: number; unreadable: number; unreadableExact: boolean } | null;
  serverId: string | null;
  requests: number;
}

/**
 * Damages the run with `damage`, then checks export, sync and the server against what was
 * logged minus the rows `lost` (indices); `exact` says whether sync can count the loss exactly.
 */
async function checkDamaged(
  run: LoggedRun,
  lost: ReadonlySet<number>,
  options: { exact: boolean; crashed?: boolean },
): Promise<void> {
  const expected = run.logged.filter((_, i) => !lost.has(i));
  const exported = await runCli(["export", run.dir, "--format", "jsonl"]);
  expect(exported.code).toBe(0);
  expect(parseLines(exported.stdout)).toEqual(expected);

  const synced = await runCli(["sync", run.dir, "--json", "--base-url", server.url]);
  expect(synced.code, synced.stderr).toBe(0);
  const result = JSON.parse(synced.stdout) as SyncJson;
  expect(result.status).toBe("synced");
  expect(result.crashed).toBe(options.crashed ?? false);
  expect(result.rows?.recovered).toBe(expected.length);
  expect(result.rows?.uploaded).toBe(expected.length);
  expect(result.rows?.unreadableExact).toBe(options.exact);
  if (options.exact) expect(result.rows?.unreadable).toBe(lost.size);
  else expect(result.rows?.unreadable).toBeLessThanOrEqual(lost.size);
  expect(await serverRows(run.id)).toEqual(expected);
  expect(readFileSync(`${run.logFile}.synced`, "utf8")).toBe(`${result.serverId}\n`);

  const again = await runCli(["sync", run.dir, "--json", "--base-url", server.url]);
  expect(again.code, again.stdout + again.stderr).toBe(0);
  expect(JSON.parse(again.stdout)).toMatchObject({ status: "already-synced", requests: 0 });
}

function flipIn(run: LoggedRun, frame: LogFrame | undefined, byte: number, bit = 0): void {
  expect(frame).toBeDefined();
  writeFileSync(run.logFile, flipBit(run.logFile, (frame?.offset ?? 0) + byte, bit));
}

/** Indices of the rows whose frames hold any of `offsets`. */
function rowsAt(run: LoggedRun, offsets: readonly number[]): Set<number> {
  const lost = new Set<number>();
  run.rowFrames.forEach((frame, i) => {
    if (offsets.some((at) => at >= frame.offset && at < frame.offset + frame.bytes)) lost.add(i);
  });
  return lost;
}

/** A small seeded generator, so a failing case can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe("sync and export of a damaged run log", () => {
  it("one bit in a history row's length (sync used to stop there and call the run synced)", async () => {
    const run = await loggedRun();
    flipIn(run, run.rowFrames[4990], 8, 4);
    await checkDamaged(run, new Set([4990]), { exact: true });
  }, 120_000);

  it("one bit in a history row's values", async () => {
    const run = await loggedRun();
    flipIn(run, run.rowFrames[15_000], 30, 1);
    await checkDamaged(run, new Set([15_000]), { exact: true });
  }, 120_000);

  it("one bit in the file header", async () => {
    const run = await loggedRun();
    writeFileSync(run.logFile, flipBit(run.logFile, 2, 6));
    await checkDamaged(run, new Set(), { exact: true });
  }, 120_000);

  it("one bit in each key definition: every row comes back from the key tables", async () => {
    const run = await loggedRun();
    for (const frame of run.frames.filter((f) => f.kind === "key"))
      writeFileSync(run.logFile, flipBit(run.logFile, frame.offset + 14, 3));
    await checkDamaged(run, new Set(), { exact: true });
  }, 120_000);

  it("one bit in a key table", async () => {
    const run = await loggedRun();
    flipIn(
      run,
      run.frames.find((f) => f.kind === "key-table"),
      20,
      2,
    );
    await checkDamaged(run, new Set(), { exact: true });
  }, 120_000);

  it("one bit in the run record: the copy in files/metadata.json stands in", async () => {
    const run = await loggedRun();
    flipIn(
      run,
      run.frames.find((f) => f.t === "run"),
      40,
      0,
    );
    await checkDamaged(run, new Set(), { exact: true });
    const stored = await fetch(`${server.url}/api/v1/runs/local/corrupt/${run.id}`);
    expect(await stored.text()).toContain('"lr":0.1');
  }, 120_000);

  it("one bit in the summary snapshot and one in the exit record", async () => {
    const run = await loggedRun();
    flipIn(
      run,
      run.frames.find((f) => f.t === "summary-snapshot"),
      20,
      5,
    );
    flipIn(
      run,
      run.frames.find((f) => f.t === "exit"),
      16,
      5,
    );
    await checkDamaged(run, new Set(), { exact: true, crashed: true });
  }, 120_000);

  it("cut at random points", async () => {
    const next = random(8);
    for (let cut = 0; cut < 3; cut++) {
      const run = await loggedRun();
      const size = readFileSync(run.logFile).length;
      let at = Math.floor(16 + next() * (size - 16));
      // A cut exactly between two frames leaves a log that ends cleanly, like a killed writer's,
      // with no damaged bytes to count; this case is about a frame cut in half.
      if (run.frames.some((frame) => frame.offset === at)) at += 1;
      truncateSync(run.logFile, at);
      const lost = new Set<number>();
      run.rowFrames.forEach((frame, i) => {
        if (frame.offset + frame.bytes > at) lost.add(i);
      });
      await checkDamaged(run, lost, { exact: false, crashed: true });
    }
  }, 300_000);

  it("random bit flips", async () => {
    const next = random(20_261_207);
    for (let round = 0; round < 3; round++) {
      const run = await loggedRun();
      const size = readFileSync(run.logFile).length;
      const offsets = Array.from({ length: 5 }, () => Math.floor(next() * size));
      const bytes = readFileSync(run.logFile);
      for (const at of offsets) bytes[at] = (bytes[at] as number) ^ (1 << Math.floor(next() * 8));
      writeFileSync(run.logFile, bytes);
      const hitExit = offsets.some((at) => {
        const exit = run.frames.find((f) => f.t === "exit");
        return exit !== undefined && at >= exit.offset && at < exit.offset + exit.bytes;
      });
      await checkDamaged(run, rowsAt(run, offsets), { exact: true, crashed: hitExit });
    }
  }, 300_000);
});

describe("sync never calls a run synced that is not", () => {
  it("exits 1, marks nothing and says why when the server cannot be reached", async () => {
    const run = await loggedRun();
    const dead = await runCliWith(["sync", run.dir, "--json", "--base-url", "http://127.0.0.1:9"], {
      env: { STEPWISE_SYNC_GIVE_UP_S: "1" },
    });
    expect(dead.code).toBe(1);
    expect(JSON.parse(dead.stdout)).toMatchObject({ status: "failed", rows: null });
    expect(() => readFileSync(`${run.logFile}.synced`)).toThrow(/ENOENT/);
  }, 120_000);
});
