/**
 * `stepwise export entity/project --out DIR`: every run of a project (or those passing
 * `--filter`) to one file per run in DIR (or one `--combined` file with a `_run` column), a few
 * runs at a time (`--jobs`), through the SDK's `api.exportRuns`. Resumable: a rerun keeps the
 * complete files of runs that have not changed. Progress on a terminal's stderr; `--json`
 * prints a summary on stdout.
 */
import { UsageError } from "@stepwise/protocol";
import { Api } from "../../../api/api.js";
import type { ExportProgress } from "../../../api/export/export-runs.js";
import type { CliIo } from "../../cli-io.js";
import { ExitCode } from "../../exit-codes.js";
import type { ExportOptions } from "./export-options.js";
import { ProjectProgress } from "./project-progress.js";
import { count } from "../../format/count.js";

export async function exportProject(projectPath: string, options: ExportOptions, io: CliIo): Promise<number> {
  checkProjectOptions(options);
  const api = new Api({
    ...(options.baseUrl === null ? {} : { baseUrl: options.baseUrl }),
    ...(options.apiKey === null ? {} : { apiKey: options.apiKey }),
  });
  const progress = new ProjectProgress(io.stderr, io.stderrIsTty);
  let result;
  try {
    result = await api.exportRuns(projectPath, {
      out: options.out as string,
      format: options.format,
      combined: options.combined,
      concurrency: options.jobs,
      filters: options.filters,
      onProgress: (p: ExportProgress) => progress.draw(p),
    });
  } finally {
    progress.clear();
  }
  const skipped = result.runs.filter((run) => run.skipped).length;
  if (options.json) {
    io.stdout.write(
      JSON.stringify({
        project: projectPath,
        format: result.format,
        out: result.out,
        combinedFile: result.combinedFile,
        runs: result.runs.length,
        skipped,
        rows: result.rows,
        bytes: result.bytes,
        seconds: Number(result.seconds.toFixed(3)),
        files: result.runs.map(({ path, file, rows, bytes, skipped: kept }) => ({
          run: path,
          file,
          rows,
          bytes,
          skipped: kept,
        })),
      }) + "\n",
    );
  }
  const what = result.combinedFile === null ? count(result.runs.length, "file") : `${result.combinedFile}`;
  io.stderr.write(
    `exported ${count(result.runs.length, "run")} (${count(result.rows, "history row")}${skipped > 0 ? `, ${count(skipped, "run")} already complete` : ""}) as ${what} to ${result.out}\n`,
  );
  return ExitCode.ok;
}

function checkProjectOptions(options: ExportOptions): void {
  if (options.out === null)
    throw new UsageError(
      `exporting a project writes one file per run into a folder: pass --out DIR (or name one run: entity/project/runId)`,
    );
  if (options.what !== "history")
    throw new UsageError(
      `--what ${options.what} applies to one run; a project export writes each run's history`,
    );
  if (options.keys !== null)
    throw new UsageError("--keys applies to one run; a project export writes each run's whole history");
}
