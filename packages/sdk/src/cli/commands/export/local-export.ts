/** `stepwise export <run-dir>`: reads the local run log alone, no server. */
import { readOfflineRun } from "../../../runlog/offline-run.js";
import type { CliIo } from "../../cli-io.js";
import type { LineSink } from "../../output/line-sink.js";
import type { ExportOptions } from "./export-options.js";
import { historyRows } from "./history-rows.js";
import { reportLogIssues } from "./report-log-issues.js";
import { localRunDocument, runDocument } from "./run-document.js";
import { writeHistory, type ProgressFactory } from "./write-history.js";
import { count } from "../../format/count.js";

/** Resolves to "N history rows" for a history export, or null for a single-object export. */
export async function writeLocalExport(
  options: ExportOptions,
  logFile: string,
  sink: LineSink,
  io: CliIo,
  progress: ProgressFactory,
): Promise<string | null> {
  if (options.what !== "history") {
    const run = readOfflineRun(logFile);
    reportLogIssues(logFile, run.issues, run.info.historyRows, io.stderr);
    sink.add(runDocument(localRunDocument(run), options.what, options.keys));
    await sink.flush();
    return null;
  }
  const rows = (issues: Parameters<typeof historyRows>[1]) => historyRows(logFile, issues);
  const warn = (line: string): void => void io.stderr.write(`${line}\n`);
  const result = await writeHistory(options, { rows, keys: options.keys, sink, progress, warn });
  reportLogIssues(logFile, result.issues, result.read, io.stderr);
  return count(result.written, "history row");
}
