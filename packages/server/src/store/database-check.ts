/**
 * What the database part of `stepwise server --check` hands to the full store check
 * (store-check.ts), whichever database it read: SQLite (sqlite/check-sqlite-store.ts) or
 * PostgreSQL (postgres/pg-check.ts). The full check then verifies the listed run files against
 * the file store, the same way for both.
 */

/** One damaged thing: the run it belongs to (null for the database as a whole), what, where, why. */
export interface DamagedItem {
  run: string | null;
  item: "database" | "history block" | "history row" | "series chunk" | "series rollup" | "file";
  where: string;
  problem: string;
}

/** A run file record, for the check of its blob. */
export interface CheckedFile {
  entity: string;
  project: string;
  runId: string;
  path: string;
  size: number;
  sha256: string;
}

export interface DatabaseCheckResult {
  schemaVersion: number | null;
  runs: number;
  /** Stored history blocks (on PostgreSQL schema ≤ 8, which kept one row per history row: 0). */
  historyBlocks: number;
  /** History rows read. */
  historyRows: number;
  seriesChunks: number;
  seriesRollups: number;
  damaged: DamagedItem[];
  /** Things worth knowing that are not damage (a schema from before checksums). */
  notes: string[];
  /** Every file record, for the blob check. */
  files: CheckedFile[];
}

export function emptyCheckResult(): DatabaseCheckResult {
  return {
    schemaVersion: null,
    runs: 0,
    historyBlocks: 0,
    historyRows: 0,
    seriesChunks: 0,
    seriesRollups: 0,
    damaged: [],
    notes: [],
    files: [],
  };
}

/** A problem of the database as a whole (`where`: the database file, or the table). */
export function databaseProblem(problem: string, where = "the database file"): DamagedItem {
  return { run: null, item: "database", where, problem };
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
