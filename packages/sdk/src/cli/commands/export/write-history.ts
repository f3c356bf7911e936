/** Picks the history writer for `--format` (JSON lines or CSV; parquet is a server download). */
import { NotFoundError, UsageError } from "@stepwise/protocol";
import type { ProgressLine } from "../../output/progress-line.js";
import type { ExportOptions } from "./export-options.js";
import type { HistoryExport, HistoryResult } from "./history-export.js";
import { writeHistoryCsv } from "./write-history-csv.js";
import { writeHistoryJsonl } from "./write-history-jsonl.js";

export type ProgressFactory = (label: string, total: number | null) => ProgressLine;

/** Names listed in the warning about `--keys` nothing held; the rest are counted. */
const LISTED_KEYS = 40;

export async function writeHistory(options: ExportOptions, job: HistoryExport): Promise<HistoryResult> {
  const seen = new Set<string>();
  const result = await writeRows(options, { ...job, seen });
  checkKeysFound(job, seen, result);
  return result;
}

function writeRows(options: ExportOptions, job: HistoryExport): Promise<HistoryResult> {
  if (options.format === "csv") return writeHistoryCsv(job);
  if (options.format === "jsonl") return writeHistoryJsonl(job);
  // export.ts sends parquet to the server's own download before it gets here.
  throw new UsageError("--format parquet is not written row by row; use --format csv or jsonl");
}

/**
 * A mistyped `--keys` would export nothing without a word: each key no row held is named with
 * the keys the run has; when none was held (and the history has rows) the export fails with
 * NOT_FOUND (exit 4), so a script does not take an empty file for data.
 */
function checkKeysFound(job: HistoryExport, seen: ReadonlySet<string>, result: HistoryResult): void {
  const missing = job.keys?.unmatched() ?? [];
  // Rows not read (a reader that went away: `| head`) may hold the keys.
  if (missing.length === 0 || result.read === 0 || job.sink.closed) return;
  const names = [...seen].filter((name) => name !== "_step" && !name.startsWith("_")).sort();
  const listed = names.slice(0, LISTED_KEYS).join(", ");
  const more = names.length > LISTED_KEYS ? ` and ${names.length - LISTED_KEYS} more` : "";
  const message =
    `--keys ${missing.join(",")}: no history row holds ${missing.length === 1 ? "this key" : "these keys"}; ` +
    `the run's keys are ${listed === "" ? "(none but _step)" : listed + more}`;
  if (missing.length === job.keys?.keys.length) throw new NotFoundError(message);
  job.warn?.(`stepwise: warning: ${message}`);
}
