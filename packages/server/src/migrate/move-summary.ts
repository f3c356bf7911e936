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
  artifacts: ArtifactsMoved;
  /** Parts of the source not copied, each with why. */
  notCopied: string[];
  verified: { runs: number; historyRows: number; files: number; mismatches: RunMismatch[] };
}

/** The artifact and registry tables (copy-artifacts.ts). */
export interface ArtifactsMoved {
  /**
   * `none`: the source has none; `copied` in this pass; `unchanged` since an earlier pass;
   * `changed-since`: copied by an earlier pass, changed in the source since (not copied again);
   * `target-holds-artifacts`: the target had artifacts of its own (nothing copied).
   */
  state: "none" | "copied" | "unchanged" | "changed-since" | "target-holds-artifacts";
  /** In the source. */
  collections: number;
  versions: number;
  registryLinks: number;
  /** Contents copied to the target's file store in this pass. */
  blobs: number;
  bytes: number;
  /** Contents the source no longer has (files of deleted versions freed by garbage collection). */
  missingBlobs: number;
}
