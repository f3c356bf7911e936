/**
 * `api.exportRuns("entity/project", { format, out, filters, combined })`: every run of a project
 * (or those that pass the filters) to files in `out`, a few runs at a time. Each file is the
 * server's own rendering of the run's whole history (JSON lines, CSV or Parquet), streamed to
 * disk as it arrives: the client decodes nothing, so a run exports at the server's scan rate.
 *
 * Resumable: each run's file is written whole (temp file, fsync, rename) and recorded in the
 * folder's manifest; a rerun skips the runs whose file is complete and whose history has not
 * changed since, and rewrites the others whole. A killed export never leaves a truncated or
 * duplicated file, only a hidden `.name.partial` that the next export removes.
 */
import { mkdir, readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { UsageError } from "@stepwise/protocol";
import type { ApiRun } from "../api-run.js";
import { combineParts, combinedFileName, type CombineFormat } from "./combine.js";
import { ExportManifest } from "./export-manifest.js";
import { FORMAT_EXTENSIONS, isPartialName, runFileName } from "./file-names.js";
import { writeAtomically } from "./write-atomically.js";

export type ExportRunsFormat = keyof typeof FORMAT_EXTENSIONS;

export interface ExportRunsOptions {
  /** Where the files go; created if missing. */
  out: string;
  /** Default "jsonl". */
  format?: ExportRunsFormat;
  /** One file for all runs, with the run id in a first `_run` column (JSON lines and CSV). */
  combined?: boolean;
  /** Runs exported at once. Default 4. */
  concurrency?: number;
  /** Called as runs complete and bytes arrive (at most every 100 ms, and once at the end). */
  onProgress?: (progress: ExportProgress) => void;
}

export interface ExportProgress {
  runsTotal: number;
  /** Runs done, skipped ones included. */
  runsDone: number;
  runsSkipped: number;
  /** History rows of the runs listed / of the runs done. */
  rowsTotal: number;
  rowsDone: number;
  /** Bytes received so far in this export. */
  bytes: number;
}

export interface ExportedRun {
  /** `entity/project/runId`. */
  path: string;
  /** The file written (or kept), in `out`. */
  file: string;
  rows: number;
  bytes: number;
  /** True when an earlier export's file was complete and kept. */
  skipped: boolean;
}

export interface ExportRunsResult {
  format: ExportRunsFormat;
  out: string;
  runs: ExportedRun[];
  /** The combined file, with `combined`. */
  combinedFile: string | null;
  rows: number;
  bytes: number;
  seconds: number;
}

const PROGRESS_MS = 100;

export async function exportRuns(
  runs: AsyncIterable<ApiRun>,
  projectName: string,
  options: ExportRunsOptions,
): Promise<ExportRunsResult> {
  const format = options.format ?? "jsonl";
  const concurrency = options.concurrency ?? 4;
  if (!(format in FORMAT_EXTENSIONS))
    throw new UsageError(`format must be jsonl, csv or parquet (got '${String(format)}')`);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    throw new UsageError(`concurrency must be an integer from 1 to 64 (got ${concurrency})`);
  if (options.combined === true && format === "parquet")
    throw new UsageError(
      "a combined Parquet file is not available yet: export one Parquet file per run (without combined), or combine JSON lines or CSV",
    );
  const started = performance.now();
  // Combined exports keep one part per run beside the final file, resumable the same way.
  const folder = options.combined === true ? join(options.out, ".parts") : options.out;
  await mkdir(folder, { recursive: true });
  await removePartials(folder);
  if (folder !== options.out) await removePartials(options.out);
  const listed: ApiRun[] = [];
  for await (const run of runs) listed.push(run);
  const manifest = await ExportManifest.open(folder);
  const tracker = new ProgressTracker(listed, options.onProgress);
  const results: ExportedRun[] = new Array<ExportedRun>(listed.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    // After a failure the other workers finish the file in hand and take no new run.
    for (let index = next++; index < listed.length && !failed; index = next++) {
      const run = listed[index] as ApiRun;
      try {
        results[index] = await exportOne(run, format, folder, manifest, tracker);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const workers = Array.from({ length: Math.min(concurrency, Math.max(1, listed.length)) }, worker);
  // Wait for every worker, so that no file is still being written when the error is thrown.
  const outcomes = await Promise.allSettled(workers);
  const failure = outcomes.find((outcome) => outcome.status === "rejected");
  if (failure?.status === "rejected") throw failure.reason;
  let combinedFile: string | null = null;
  if (options.combined === true) {
    combinedFile = combinedFileName(projectName, format as CombineFormat);
    await combineParts(options.out, folder, combinedFile, format as CombineFormat, results);
    await rm(folder, { recursive: true, force: true });
  }
  tracker.report(true);
  return {
    format,
    out: options.out,
    runs: results,
    combinedFile,
    rows: results.reduce((sum, r) => sum + r.rows, 0),
    bytes: tracker.bytes,
    seconds: (performance.now() - started) / 1000,
  };
}

async function exportOne(
  run: ApiRun,
  format: ExportRunsFormat,
  folder: string,
  manifest: ExportManifest,
  tracker: ProgressTracker,
): Promise<ExportedRun> {
  const file = runFileName(run.ref.runId, FORMAT_EXTENSIONS[format]);
  const known = manifest.get(file);
  if (
    known !== undefined &&
    known.format === format &&
    known.rows === run.historyRows &&
    run.state !== "running" &&
    (await exists(join(folder, file)))
  ) {
    tracker.runDone(run, true);
    return { path: run.path, file, rows: known.rows, bytes: known.bytes, skipped: true };
  }
  const bytes = run.historyBytes(format === "jsonl" ? "ndjson" : format);
  const written = await writeAtomically(folder, file, bytes, (n) => tracker.addBytes(n));
  // JSON lines: one line per row, so a stream that ended early would show here.
  const rows = format === "jsonl" ? written.newlines : run.historyRows;
  if (format === "jsonl" && rows < run.historyRows)
    throw new Error(`${run.path}: ${rows} history rows received, the server listed ${run.historyRows}`);
  await manifest.add({ run: run.path, file, format, rows, state: run.state, bytes: written.bytes });
  tracker.runDone(run, false);
  return { path: run.path, file, rows, bytes: written.bytes, skipped: false };
}

function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Partial files of an export that was killed: never complete, so never kept. */
async function removePartials(folder: string): Promise<void> {
  for (const name of await readdir(folder))
    if (isPartialName(name)) await rm(join(folder, name), { force: true });
}

class ProgressTracker {
  bytes = 0;
  private runsDone = 0;
  private runsSkipped = 0;
  private rowsDone = 0;
  private readonly rowsTotal: number;
  private last = 0;

  constructor(
    private readonly runs: readonly ApiRun[],
    private readonly onProgress: ((progress: ExportProgress) => void) | undefined,
  ) {
    this.rowsTotal = runs.reduce((sum, run) => sum + run.historyRows, 0);
  }

  addBytes(n: number): void {
    this.bytes += n;
    this.report(false);
  }

  runDone(run: ApiRun, skipped: boolean): void {
    this.runsDone++;
    if (skipped) this.runsSkipped++;
    this.rowsDone += run.historyRows;
    this.report(false);
  }

  report(final: boolean): void {
    if (this.onProgress === undefined) return;
    const now = performance.now();
    if (!final && now - this.last < PROGRESS_MS) return;
    this.last = now;
    this.onProgress({
      runsTotal: this.runs.length,
      runsDone: this.runsDone,
      runsSkipped: this.runsSkipped,
      rowsTotal: this.rowsTotal,
      rowsDone: this.rowsDone,
      bytes: this.bytes,
    });
  }
}
