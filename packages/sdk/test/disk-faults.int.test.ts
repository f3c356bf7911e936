/**
 * The run log writer under disk faults that a real filesystem rarely produces on demand: a
 * failing fdatasync, writes cut short with a failing ftruncate, writes failing to the end of the
 * run, and a full disk that comes back. The faults are injected at the writer's file calls
 * (fixtures/faulty-disk.mjs); everything else is the real SDK in a child process. Each test
 * reads the log back and compares it with what the child logged (loss = 1/(s+1), half = s/2).
 */
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { RunLogReader } from "../src/index.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();

interface Done {
  logged: number;
  fillStep: number;
  sawProblem: boolean;
  status: { diskProblem: string | null; droppedRows: number; droppedRecords: number };
}

async function runScenario(scenario: string, holdBytes: number) {
  const root = tempDir();
  const faults = join(root, "faults");
  mkdirSync(faults);
  const preload = fileURLToPath(new URL("./fixtures/faulty-disk.mjs", import.meta.url));
  const script = fileURLToPath(new URL("./fixtures/fault-child.mjs", import.meta.url));
  const child = spawn(process.execPath, ["-r", preload, script, root, faults, scenario, String(holdBytes)], {
    env: { ...process.env, STEPWISE_FAULTS_DIR: faults },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  expect(code, stderr).toBe(0);
  const [where, done] = stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as unknown) as [{ dir: string; id: string }, Done];
  return { ...done, stderr, logFile: join(where.dir, `run-${where.id}.swlog`) };
}

/** The steps of the history rows in the log, each checked against what the child logged. */
function readSteps(logFile: string): { steps: number[]; reader: RunLogReader } {
  const reader = new RunLogReader(logFile);
  const steps: number[] = [];
  for (const { record } of reader.records()) {
    if (record.t !== "history") continue;
    const step = record.row["_step"] as number;
    expect(record.row["loss"]).toBe(1 / (step + 1));
    expect(record.row["half"]).toBe(step / 2);
    steps.push(step);
  }
  return { steps, reader };
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

/** The fault preload is ESM loaded with `-r` (so it runs in worker threads too): Node ≥ 20.19. */
const canPreload = (process.features as { require_module?: boolean }).require_module === true;

describe.skipIf(!canPreload)("the run log writer under disk faults", () => {
  it("a failing fdatasync is retried at the next interval: nothing is held or dropped, nothing printed", async () => {
    const result = await runScenario("sync-eio", 256 * 1024);
    expect(result.sawProblem).toBe(false);
    expect(result.status).toMatchObject({ diskProblem: null, droppedRows: 0, droppedRecords: 0 });
    expect(result.stderr).not.toContain("run log");
    const { steps, reader } = readSteps(result.logFile);
    expect(steps).toEqual(range(0, result.logged));
    expect(reader.issues).toEqual([]);
  }, 60_000);

  it("writes cut short while ftruncate fails: the torn bytes stay, but no whole frame written before or after is cut", async () => {
    const result = await runScenario("tear", 64 * 1024 * 1024);
    expect(result.sawProblem).toBe(true);
    expect(result.status).toMatchObject({ diskProblem: null, droppedRows: 0, droppedRecords: 0 });
    const { steps, reader } = readSteps(result.logFile);
    expect(steps).toEqual(range(0, result.logged));
    // What ftruncate could not cut is skipped as damage, and nothing else.
    expect(reader.issues.length).toBeGreaterThan(0);
    for (const issue of reader.issues) expect(issue.kind).toBe("corrupt");
  }, 90_000);

  it("a full disk that comes back: the held rows follow the fill point without a gap, rows past the hold are counted, none lost uncounted", async () => {
    const hold = 256 * 1024;
    const result = await runScenario("drop-recover", hold);
    expect(result.status).toMatchObject({ diskProblem: null, droppedRecords: 0 });
    const dropped = result.status.droppedRows;
    expect(dropped).toBeGreaterThan(0);
    const { steps, reader } = readSteps(result.logFile);
    expect(steps.length + dropped).toBe(result.logged);
    // Rows dropped in memory are not damage: the log's key tables count only rows it holds.
    expect(reader.issues).toEqual([]);
    expect(reader.rows).toEqual({ readable: steps.length, unreadable: 0, exact: true });
    // Rows logged while the disk failed are written in order up to the hold: well over a
    // thousand rows right after the fill point, not just the ones before it.
    const fill = result.fillStep;
    const afterFill = steps.slice(fill);
    let held = 0;
    while (held < afterFill.length && afterFill[held] === fill + held) held++;
    expect(held).toBeGreaterThan(1000);
    expect(steps.slice(0, fill + held)).toEqual(range(0, fill + held));
    // After the gap, everything to the end: the gap is the dropped rows, in one piece.
    expect(steps.slice(fill + held)).toEqual(range(fill + held + dropped, result.logged));
  }, 90_000);

  it("a disk that fails to the end: only the records logged are counted as dropped (summary snapshot, exit), never the key tables", async () => {
    const result = await runScenario("full-to-end", 256 * 1024);
    expect(result.status.diskProblem).toBe("ENOSPC");
    // What finish() appended: the summary snapshot and the exit record. Key tables are derived
    // from the rows and key definitions, so a table that cannot be written is not a loss.
    expect(result.status.droppedRecords).toBe(2);
    const { steps } = readSteps(result.logFile);
    expect(steps).toEqual(range(0, result.fillStep));
    expect(steps.length + result.status.droppedRows).toBe(result.logged);
    // Said at finish, offline too (there is no uploader to wait for the exit record).
    expect(result.stderr).toContain(
      `is missing ${result.status.droppedRows} history row(s) and 2 other record(s)`,
    );
  }, 90_000);
});
