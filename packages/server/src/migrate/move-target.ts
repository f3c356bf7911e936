/**
 * What `stepwise migrate` needs of the store it copies into, beyond the Store interface: where
 * the copy stands (runs copied whole, by the source store's instance id) and two writes that
 * keep what the source recorded instead of what ingestion would record now (a run's row as it
 * is in the source: state, times, summary, writer; a chart preset's times). Everything else
 * goes through the Store, so the target builds its history and series the way ingestion does.
 */
import type { RunRef } from "@stepwise/protocol";
import type { BlobStore } from "../blob/blob-store.js";
import type { Store, StoredRun } from "../store/store.js";
import type { StoredPreset } from "../store/structured-store.js";
import type { TableCopy } from "./artifact-tables.js";

export interface MoveTarget {
  readonly store: Store;
  /** The target's file store; null when run files stay where the source keeps them. */
  readonly blobs: BlobStore | null;
  /** The database and file store, for messages (no password). */
  readonly where: { database: string; files: string };
  /** The fingerprint (run-fingerprint.ts) of every run of `source` copied whole, by run key. */
  movedRuns(source: string): Promise<Map<string, string>>;
  /**
   * Writes the run's row as `run` has it, except its ordinal when the target numbered the run
   * otherwise (it held other runs in the project), and records it copied with `fingerprint`: one
   * transaction. Resolves to the ordinal the run has in the target.
   */
  finishRun(source: string, run: StoredRun, fingerprint: string, now: number): Promise<number>;
  /** The fingerprint recorded when part `part` of `source` was copied, or null. */
  movedPart(source: string, part: string): Promise<string | null>;
  /** How many rows each table holds. */
  countRows(tables: readonly string[]): Promise<Record<string, number>>;
  /**
   * One transaction: unless one of `tables` holds a row (then nothing is written and it resolves
   * false), inserts `rows(table)` into each, in order, with their keys, moves the tables'
   * sequences past them, and records part `part` of `source` with `fingerprint`.
   */
  copyTables(
    source: string,
    part: string,
    fingerprint: string,
    tables: readonly TableCopy[],
    rows: (table: TableCopy) => Iterable<unknown[]>,
    now: number,
  ): Promise<boolean>;
  /** Stores the preset with its times unless one with its id is there; whether it stored it. */
  putPreset(preset: StoredPreset): Promise<boolean>;
  close(): Promise<void>;
}

/** The key of a run in `movedRuns`. */
export function runKey(ref: RunRef): string {
  return JSON.stringify([ref.entity, ref.project, ref.runId]);
}
