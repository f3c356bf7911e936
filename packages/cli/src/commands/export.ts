/**
 * `stepwise export <target>`: a local run's history (JSON lines or CSV), summary, config or
 * metadata, to stdout or atomically to a file. Server targets come with `stepwise server`.
 */
import { readOfflineRun, resolveRunLog } from "stepwise";
import type { CliIo } from "../cli-io.js";
import { ExitCode } from "../exit-codes.js";
import { AtomicFile } from "../output/atomic-file.js";
import { LineSink } from "../output/line-sink.js";
import { ProgressLine } from "../output/progress-line.js";
import type { Command } from "./command.js";
import { EXPORT_HELP } from "./export/export-help.js";
import { parseExportArgs, type ExportOptions } from "./export/export-options.js";
import { assertLocalTarget } from "./export/local-target.js";
import { reportLogIssues } from "./export/report-log-issues.js";
import { runDocument } from "./export/run-document.js";
import { writeHistoryCsv } from "./export/write-history-csv.js";
import { writeHistoryJsonl } from "./export/write-history-jsonl.js";

export const exportCommand: Command = {
  name: "export",
  summary: "export a local run's history, summary, config or metadata (JSON lines or CSV)",
  run: runExport,
};

async function runExport(argv: string[], io: CliIo): Promise<number> {
  const options = parseExportArgs(argv);
  if (options === "help") {
    io.stdout.write(EXPORT_HELP);
    return ExitCode.ok;
  }
  assertLocalTarget(options.target);
  // Resolve before creating --out, so a wrong target leaves no file behind.
  const { logFile } = resolveRunLog(options.target);
  const file = options.out === null ? null : new AtomicFile(options.out);
  const sink = new LineSink(file?.stream ?? io.stdout);
  try {
    const written = await writeExport(options, logFile, sink, io);
    if (file) {
      await file.commit();
      io.stderr.write(`wrote ${written ?? `the ${options.what}`} to ${file.path}\n`);
    }
  } catch (error) {
    await file?.abort();
    throw error;
  } finally {
    sink.release();
  }
  return ExitCode.ok;
}

/** Resolves to "N history rows" for a history export, or null for a single-object export. */
async function writeExport(
  options: ExportOptions,
  logFile: string,
  sink: LineSink,
  io: CliIo,
): Promise<string | null> {
  if (options.what !== "history") {
    const run = readOfflineRun(logFile);
    reportLogIssues(logFile, run.issues, run.info.historyRows, io.stderr);
    sink.add(runDocument(run, options.what, options.keys));
    await sink.flush();
    return null;
  }
  // Progress shares the terminal with data when stdout is that terminal: draw it only when
  // the data goes elsewhere (a pipe, a redirect, --out).
  const enabled = io.stderrIsTty && (options.out !== null || !io.stdoutIsTty);
  const job = {
    logFile,
    keys: options.keys,
    sink,
    progress: (label: string, total: number | null) => new ProgressLine(io.stderr, { enabled, label, total }),
  };
  const result = await (options.format === "csv" ? writeHistoryCsv(job) : writeHistoryJsonl(job));
  reportLogIssues(logFile, result.issues, result.read, io.stderr);
  return `${result.written} history rows`;
}
