/**
 * SDK runs for the fleet fault tests: each a child process (test/fixtures/fleet-run.mjs: the SDK
 * holds one active run per process) logging known rows through a given URL, and what the
 * server must hold afterwards: exactly those rows, in order, and the run's file byte-exact.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  apiPaths,
  fileListResponseSchema,
  parseExtended,
  runDtoSchema,
  type RunRef,
} from "@stepwise/protocol";

const FIXTURE = join(import.meta.dirname, "..", "fixtures", "fleet-run.mjs");

export interface FleetRun {
  index: number;
  dir: string;
  /** Where the run is, once the child has started it. */
  ref: Promise<RunRef>;
  /** Its run directory (the SDK's local log), for `stepwise sync`. */
  runDir: Promise<string>;
  /** Resolves once finish() returned in the child (rejects when the child fails). */
  finished: Promise<void>;
  stderr(): string;
}

export function startFleetRun(
  index: number,
  baseUrl: string,
  rows: number,
  pace: { perTick: number; tickMs: number },
): FleetRun {
  const dir = mkdtempSync(join(tmpdir(), "stepwise-fleet-run-"));
  const child = spawn(
    process.execPath,
    [FIXTURE, dir, baseUrl, String(index), String(rows), String(pace.perTick), String(pace.tickMs)],
    {
      env: { ...process.env, STEPWISE_HEARTBEAT_S: "1", STEPWISE_TEST_VERBOSE: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const lines: string[] = [];
  let out = "";
  const waiters: Array<() => void> = [];
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    let newline;
    while ((newline = out.indexOf("\n")) !== -1) {
      lines.push(out.slice(0, newline));
      out = out.slice(newline + 1);
      for (const wake of waiters.splice(0)) wake();
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const line = async (n: number): Promise<string> => {
    while (lines.length <= n) {
      const more = new Promise<void>((resolve) => waiters.push(resolve));
      const code = await Promise.race([more.then(() => undefined), exited]);
      if (code !== undefined && lines.length <= n)
        throw new Error(`run ${index} exited with ${code}: ${stderr}`);
    }
    return lines[n] as string;
  };
  return {
    index,
    dir,
    ref: line(0).then((text) => {
      const { entity, project, runId } = JSON.parse(text) as RunRef;
      return { entity, project, runId };
    }),
    runDir: line(0).then((text) => (JSON.parse(text) as { runDir: string }).runDir),
    finished: line(1).then(async () => {
      const code = await exited;
      if (code !== 0) throw new Error(`run ${index} exited with ${code}: ${stderr}`);
    }),
    stderr: () => stderr,
  };
}

/** The row run `index` logged at `i` (fleet-run.mjs), with the step the SDK gave it. */
export function loggedRow(index: number, i: number): Record<string, number> {
  return { _step: i, run: index, i, loss: 1 / (i + 1), wave: Math.sin(i / 7 + index) };
}

/** The sha256 of the file run `index` saved. */
export function savedFileSha256(index: number): string {
  return createHash("sha256")
    .update(`weights of run ${index}\n`.repeat(1000 + index))
    .digest("hex");
}

/** A run's history through `url`, without the SDK's own `_runtime` and `_timestamp`. */
export async function historyOf(url: string, ref: RunRef): Promise<Array<Record<string, unknown>>> {
  const response = await fetch(url + apiPaths.history(ref));
  if (response.status !== 200) throw new Error(`history of ${ref.runId}: HTTP ${response.status}`);
  return (await response.text())
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const { _runtime: _r, _timestamp: _t, ...values } = parseExtended(line) as Record<string, unknown>;
      return values;
    });
}

/** The run's state and its file's sha256, through `url`. */
export async function runStateOf(url: string, ref: RunRef): Promise<{ state: string; file: string | null }> {
  const dto = runDtoSchema.parse(parseExtended(await (await fetch(url + apiPaths.run(ref))).text()));
  const listed = fileListResponseSchema.parse(await (await fetch(url + apiPaths.files(ref))).json());
  return { state: dto.state, file: listed.files.find((f) => f.path === "weights.txt")?.sha256 ?? null };
}

/** The history rows the server acknowledged to the SDK (its upload-state.json). */
export function acknowledgedRows(runDir: string): number {
  const state = JSON.parse(readFileSync(join(runDir, "upload-state.json"), "utf8")) as {
    offsets: { history: number };
  };
  return state.offsets.history;
}

const CLI = join(import.meta.dirname, "..", "..", "..", "cli", "bin", "stepwise.js");

/** `stepwise sync --base-url <url> <run dir>`: sends what the run's finish() left on local disk. */
export function syncRun(url: string, runDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, "sync", "--base-url", url, runDir], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`stepwise sync exited with ${code}: ${stderr}`)),
    );
  });
}

/** The history rows the server at `url` holds of a run (0 before it exists). */
export async function serverRows(url: string, ref: RunRef): Promise<number> {
  const response = await fetch(url + apiPaths.run(ref));
  if (response.status === 404) return 0;
  return runDtoSchema.parse(parseExtended(await response.text())).offsets.history;
}
