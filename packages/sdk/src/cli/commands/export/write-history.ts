/** Picks the history writer for `--format` (JSON lines or CSV; parquet is a server download). */
import { UsageError } from "@stepwise/protocol";
import type { ProgressLine } from "../../output/progress-line.js";
import type { ExportOptions } from "./export-options.js";
import type { HistoryExport, HistoryResult } from "./history-export.js";
import { writeHistoryCsv } from "./write-history-csv.js";
import { writeHistoryJsonl } from "./write-history-jsonl.js";

export type ProgressFactory = (label: string, total: number | null) => ProgressLine;

export function writeHistory(options: ExportOptions, job: HistoryExport): Promise<HistoryResult> {
  if (options.format === "csv") return writeHistoryCsv(job);
  if (options.format === "jsonl") return writeHistoryJsonl(job);
  // export.ts sends parquet to the server's own download before it gets here.
  throw new UsageError("--format parquet is not written row by row; use --format csv or jsonl");
}
