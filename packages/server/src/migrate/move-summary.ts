/** What `stepwise migrate` reports while it works and when it is done (`--json` prints the summary). */
import type { RunMismatch } from "./verify-run.js";

export type MoveProgress =
  /** Rows of the run being copied went to the target (`rows` in this step). */
  | { phase: "rows"; done: number; total: number; run: string; rows: number }
  /** A run is done: copied (`rows` items in all), or skipped as unchanged since the last copy. */
  | { phase: "copy"; done: number; total: number; run: string; copied: boolean; rows: number }
  | { phase: "verify"; done: number; total: number; run: string; ok: boolean };

export interface MoveSummary {
  source: { dataDir: string; instanceId: string };
  target: { database: string; files: string };
  runs: {
    total: number;
    /** Copied (whole, or the part the target lacked) in this pass. */
    copied: number;
    /** Already copied as they stand by an earlier pass: nothing written. */
    unchanged: number;
    /** Runs the target numbered otherwise (it held other runs in their project). */
    renumbered: Array<{ run: string; from: number; to: number }>;
  };
  /** Items written in this pass, per stream. */
  rows: { history: number; events: number; console: number; meta: number };
  files: { records: number; blobs: number; bytes: number };
  apiKeys: { total: number; copied: number };
  presets: { total: number; copied: number };
  /** Parts of the source not copied, each with why. */
  notCopied: string[];
  verified: { runs: number; historyRows: number; files: number; mismatches: RunMismatch[] };
}
