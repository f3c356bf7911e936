/** What the history writers share: which log to read, the key filter, where to write, progress. */
import type { RunLogIssue } from "stepwise";
import type { KeySelection } from "../../format/key-selection.js";
import type { LineSink } from "../../output/line-sink.js";
import type { ProgressLine } from "../../output/progress-line.js";

export interface HistoryExport {
  /** The resolved log file, not the user's target: `latest-run` may move between two passes. */
  logFile: string;
  keys: KeySelection | null;
  sink: LineSink;
  /** A fresh progress line for a pass over the log; `total` rows when known. */
  progress: (label: string, total: number | null) => ProgressLine;
}

export interface HistoryResult {
  /** Rows read from the log. */
  read: number;
  /** Rows written (fewer than read when --keys skips rows or the reader went away). */
  written: number;
  /** Damage found in the log while reading it. */
  issues: RunLogIssue[];
}
