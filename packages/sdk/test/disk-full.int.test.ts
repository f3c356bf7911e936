/**
 * A full disk under a training process, on a real tmpfs that the test fills (root and mounts
 * needed: skipped, and said so, where the sandbox forbids them). Training keeps running and
 * answers Ctrl-C, one warning names the log file, everything logged before the disk filled
 * reaches a real server, and what could not be written is counted — never silently lost.
 * The server's rows are checked against the values the child logged (loss = 1/(s+1), half = s/2).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { StorageFullError } from "@stepwise/protocol";
import { init } from "../src/index.js";
import { fetchHistory, fetchRun, useServerPerTest, waitFor, type RunPath } from "./support/server-process.js";
import { canMountTmpfs, mountTmpfs, type SmallFilesystem } from "./support/small-filesystem.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();
const startServer = useServerPerTest(tempDir);
const mounted: SmallFilesystem[] = [];
afterEach(() => {
  for (const fs of mounted.splice(0)) fs.unmount();
});

const PHASE1 = 3000;
const PHASE3 = 2000;
const HOLD = 256 * 1024;

interface Line {
  phase?: number;
  step?: number;
  status?: { diskProblem: string | null; droppedRows: number; droppedRecords: number };
}

/** The disk-full.mjs child, its stdout lines as they come, and its end. */
function startChild(dir: string, url: string, control: string) {
  const script = fileURLToPath(new URL("./fixtures/disk-full.mjs", import.meta.url));
  const args = [dir, url, control, String(HOLD), String(PHASE1), String(PHASE3)];
  const child = spawn(process.execPath, [script, ...args], {
    env: { ...process.env, STEPWISE_HEARTBEAT_S: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: Line[] = [];
  let run: (RunPath & { dir: string }) | null = null;
  let out = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    for (let at = out.indexOf("\n"); at !== -1; at = out.indexOf("\n")) {
      const line = JSON.parse(out.slice(0, at)) as Line & RunPath & { dir: string };
      out = out.slice(at + 1);
      if (run === null) run = line;
      else lines.push(line);
    }
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    lines,
    exit,
    run: () => run as RunPath & { dir: string },
    stderr: () => stderr,
    last: (phase: number) => lines.filter((line) => line.phase === phase).at(-1),
  };
}

type Child = ReturnType<typeof startChild>;

/** Starts the child on a 4 MiB tmpfs, waits for phase 1, fills the disk and waits until rows were dropped. */
async function fillUnderTraining(): Promise<{
  fs: SmallFilesystem;
  child: Child;
  url: string;
  control: string;
}> {
  const server = await startServer();
  const fs = mountTmpfs(tempDir(), 4 * 1024 * 1024);
  mounted.push(fs);
  const control = join(tempDir(), "control");
  mkdirSync(control);
  const child = startChild(fs.path, server.url, control);
  await waitFor(() => child.last(1) !== undefined, 20_000, "phase 1");
  fs.fill();
  writeFileSync(join(control, "full"), "");
  await waitFor(() => child.last(2)?.status?.diskProblem === "ENOSPC", 20_000, "the child to see ENOSPC");
  const fullAt = child.last(2)?.step ?? 0;
  // Training keeps running: thousands of rows more, past the hold, so that rows are dropped.
  await waitFor(
    () => (child.last(2)?.step ?? 0) > fullAt + 20_000 && (child.last(2)?.status?.droppedRows ?? 0) > 0,
    30_000,
    "training to go on with a full disk",
  );
  return { fs, child, url: server.url, control };
}

/** Every stored row is what the child logged at that step, in order; returns the stored steps. */
function checkRows(history: Array<Record<string, unknown>>): number[] {
  const steps = history.map((row) => row["_step"] as number);
  for (let i = 1; i < steps.length; i++) expect(steps[i]).toBeGreaterThan(steps[i - 1] as number);
  for (const row of history) {
    const step = row["_step"] as number;
    expect(row["loss"]).toBe(1 / (step + 1));
    expect(row["half"]).toBe(step / 2);
  }
  return steps;
}

function warningsAbout(stderr: string, text: string): string[] {
  return stderr.split("\n").filter((line) => line.includes(text));
}

describe.skipIf(!canMountTmpfs())("a full disk under a training process (real tmpfs)", () => {
  it("keeps training, warns once naming the log, exits 255 on SIGINT; the server has every row logged before, the rest is counted", async () => {
    const { child, url } = await fillUnderTraining();
    const run = child.run();
    child.child.kill("SIGINT");
    const exit = await Promise.race([
      child.exit,
      new Promise<null>((r) => setTimeout(() => r(null), 30_000)),
    ]);
    if (exit === null) child.child.kill("SIGKILL");
    expect(exit, "the child ended after SIGINT").toEqual({ code: null, signal: "SIGINT" });

    const stderr = child.stderr();
    const logFile = join(run.dir, `run-${run.id}.swlog`);
    const full = warningsAbout(stderr, "is full (ENOSPC)");
    expect(full).toHaveLength(1);
    expect(full[0]).toContain(logFile);

    const stored = await fetchRun(url, run);
    expect(stored).toMatchObject({ state: "failed", exitCode: 255 });
    const history = await fetchHistory(url, run);
    const steps = checkRows(history);
    // Everything logged before the disk filled is there, row by row, and nothing after a gap:
    // the rows held in memory went at close, to make room for the summary and exit records.
    expect(steps.slice(0, PHASE1)).toEqual(Array.from({ length: PHASE1 }, (_, i) => i));
    expect(steps).toEqual(Array.from({ length: steps.length }, (_, i) => i));
    // What was logged after is there or counted: logged − stored = the dropped count printed.
    const logged = ((stored?.["summary"] as Record<string, number>)["_step"] as number) + 1;
    const dropped = /missing (\d+) history row/.exec(stderr);
    expect(dropped, stderr).not.toBeNull();
    expect(logged - history.length).toBe(Number(dropped?.[1]));
    expect(logged).toBeGreaterThan(PHASE1 + 20_000);
  }, 90_000);

  it("writes again once space is back: rows before and after are all on the server, the gap is reported", async () => {
    const { fs, child, url, control } = await fillUnderTraining();
    const run = child.run();
    fs.free();
    writeFileSync(join(control, "free"), "");
    const exit = await Promise.race([
      child.exit,
      new Promise<null>((r) => setTimeout(() => r(null), 150_000)),
    ]);
    if (exit === null) child.child.kill("SIGKILL");
    expect(exit, child.stderr() + JSON.stringify(child.lines.slice(-3))).toEqual({ code: 0, signal: null });

    const stderr = child.stderr();
    expect(warningsAbout(stderr, "is full (ENOSPC)")).toHaveLength(1);
    const end = child.last(3);
    expect(end?.status?.diskProblem).toBeNull();
    const droppedRows = end?.status?.droppedRows ?? 0;
    expect(droppedRows).toBeGreaterThan(0);
    // The gap is reported once per count: on recovery, and at finish only if it grew since.
    const summaries = warningsAbout(stderr, "history row(s)");
    expect(new Set(summaries).size, stderr).toBe(summaries.length);
    expect(summaries.at(-1)).toContain(`is missing ${droppedRows} history row(s)`);

    const stored = await fetchRun(url, run);
    expect(stored).toMatchObject({ state: "finished", exitCode: 0 });
    const logged = end?.step ?? 0;
    const history = await fetchHistory(url, run);
    const steps = checkRows(history);
    expect(steps.slice(0, PHASE1)).toEqual(Array.from({ length: PHASE1 }, (_, i) => i));
    // The disk was full before phase 2 logged a row, so the rows right after PHASE1 are the ones
    // held in memory: up to the hold (256 KiB, ~3,000 rows), every step is there, in order.
    let contiguous = 0;
    while (steps[contiguous] === contiguous) contiguous++;
    expect(contiguous - PHASE1).toBeGreaterThan(2000);
    expect(steps.slice(-PHASE3)).toEqual(Array.from({ length: PHASE3 }, (_, i) => logged - PHASE3 + i));
    expect(logged - history.length).toBe(droppedRows);
  }, 200_000);

  it("init() on a full disk fails with a StorageFullError naming the directory, and leaves no half-made run", async () => {
    const fs = mountTmpfs(tempDir(), 64 * 1024);
    mounted.push(fs);
    mkdirSync(join(fs.path, "stepwise"));
    fs.fill();
    const failed = await init({ dir: fs.path, mode: "offline", settings: { silent: true } }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failed).toBeInstanceOf(StorageFullError);
    expect((failed as StorageFullError).code).toBe("STORAGE_FULL");
    expect((failed as Error).message).toContain(join(fs.path, "stepwise"));
    expect((failed as Error).message).toContain("ENOSPC");
    const left = readdirSync(join(fs.path, "stepwise")).filter((name) => name.startsWith("run-"));
    expect(left).toEqual([]);
    expect(existsSync(join(fs.path, "stepwise", "latest-run"))).toBe(false);
  });
});
