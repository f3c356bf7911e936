// bench/paths: the data and the processes it measures over. A `stepwise server` child process on
// a data directory; a project of many runs written through the server's Store (applyBatch of
// packed rows, as the SDK uploads them; the SDK would take far longer to fill 1,000 runs), then
// compacted as the server does when ingestion pauses. Build first: `npx tsc -b`.
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PackedRowsBuilder, readPackedRows, stringifyExtended } from "@stepwise/protocol";
import { openSqliteStore } from "../packages/server/dist/store/sqlite/open-sqlite-store.js";
export { startServer } from "./support/server-process.mjs";

export const BIN = fileURLToPath(new URL("../packages/cli/bin/stepwise.js", import.meta.url));
export const KEYS = [
  "loss",
  "acc",
  "lr",
  "grad_norm",
  "val/loss",
  "val/acc",
  "throughput",
  "epoch",
  "mem",
  "temp",
];
const START = 1_763_700_000;

/** Starts `stepwise server` on `dataDir`; resolves to { url, stop }. */

/** Opens the server's store on `dataDir` (the server must not be running). */
export function openStore(dataDir) {
  return openSqliteStore(join(dataDir, "stepwise.db"));
}

/** A 10-metric row as the SDK logs it, plus _step/_runtime/_timestamp. */
function sdkRow(step, run) {
  const row = { _step: step, _runtime: step * 0.01, _timestamp: START + step * 0.01 };
  for (let k = 0; k < KEYS.length; k++) row[KEYS[k]] = step * 0.001 + k + run;
  return row;
}

/** Writes `runs` finished runs of `rows` rows each into `entity/project`; then compacts them. */
export async function fillProject(store, entity, project, runs, rows) {
  const now = Date.now() / 1000;
  const batchRows = 10_000;
  for (let r = 0; r < runs; r++) {
    const ref = { entity, project, runId: `r${String(r).padStart(5, "0")}` };
    await store.applyBatch(
      ref,
      { run: { name: `run-${r}`, config: { lr: 0.001 * (r % 10), seed: r }, startTime: START } },
      now,
    );
    for (let offset = 0; offset < rows; offset += batchRows) {
      const builder = new PackedRowsBuilder();
      for (let step = offset; step < Math.min(rows, offset + batchRows); step++)
        builder.addObject(sdkRow(step, r), stringifyExtended);
      await store.applyBatch(ref, { history: { offset, packed: readPackedRows(builder.build()) } }, now);
    }
    await store.applyBatch(
      ref,
      { summary: sdkRow(rows - 1, r), exit: { exitCode: 0, runtime: rows / 100 } },
      now,
    );
  }
  await compactAll(store);
}

/** Rewrites every packed block as text, as the server does once ingestion pauses. */
export async function compactAll(store) {
  while ((await store.compactHistory(64)) > 0);
}

/** Median milliseconds of `fn` over `repeat` runs after one warm-up. */
export async function medianMs(fn, repeat = 7) {
  await fn();
  const times = [];
  for (let i = 0; i < repeat; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Runs `stepwise <args>`; resolves to wall seconds (process start included) or throws with its stderr. */
export function runCli(args, env = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, [BIN, ...args], {
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, ...env },
    });
    let err = "";
    child.stderr.on("data", (chunk) => (err += chunk));
    child.once("exit", (code) => {
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      if (code === 0) resolve(seconds);
      else reject(new Error(`stepwise ${args.join(" ")} exited ${code}: ${err.slice(-2000)}`));
    });
  });
}

/**
 * A data directory holding the project, kept in .tmp/bench-paths-<runs>x<rows> between runs
 * (filling 1,000 × 10,000 rows takes ~2 minutes); copied into `dataDir` so that each run
 * starts from the same database. Returns the seconds the fill took (0: it was there).
 */
export async function prepareProject(root, dataDir, entity, project, runs, rows) {
  const cache = join(root, ".tmp", `bench-paths-${runs}x${rows}`);
  let fillS = 0;
  if (!existsSync(join(cache, "ready"))) {
    rmSync(cache, { recursive: true, force: true });
    mkdirSync(cache, { recursive: true });
    const t0 = process.hrtime.bigint();
    const store = await openStore(cache);
    await fillProject(store, entity, project, runs, rows);
    await store.close();
    fillS = Number(process.hrtime.bigint() - t0) / 1e9;
    writeFileSync(join(cache, "ready"), "");
  }
  mkdirSync(dataDir, { recursive: true });
  copyFileSync(join(cache, "stepwise.db"), join(dataDir, "stepwise.db"));
  return fillS;
}
