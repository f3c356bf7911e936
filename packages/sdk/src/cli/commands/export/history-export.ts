/** What the history writers share: where the rows come from, the key filter, where to write, progress. */
import type { RunLogIssue } from "../../../runlog/run-log-reader.js";
import type { KeySelection } from "../../format/key-selection.js";
import type { LineSink } from "../../output/line-sink.js";
import type { ProgressLine } from "../../output/progress-line.js";

export type HistoryRow = Record<string, unknown>;

export interface HistoryExport {
  /**
   * One pass over every history row in step order; CSV asks for two. A local log pushes the
   * damage it finds into `issues`. Local sources read the resolved log file, not the user's
   * target: `latest-run` may move between two passes.
   */
  rows: (issues: RunLogIssue[]) => Iterable<HistoryRow> | AsyncIterable<HistoryRow>;
  keys: KeySelection | null;
  sink: LineSink;
  /** Every flattened column name seen, filled by the writers only when `keys` is given. */
  seen?: Set<string>;
  /** A warning line for stderr. */
  warn?: (line: string) => void;
  /** A fresh progress line for a pass over the rows; `total` rows when known. */
  progress: (label: string, total: number | null) => ProgressLine;
}

export interface HistoryResult {
  /** Rows read from the source. */
  read: number;
  /** Rows written (fewer than read when --keys skips rows or the reader went away). */
  written: number;
  /** Damage found in a local log while reading it. */
  issues: RunLogIssue[];
}
