/**
 * What ingestion (apply-batch.ts) needs of a store, and nothing else. One batch is one call of
 * `withRun`: the store opens a transaction, reads the run (and, for a run it does not hold, how
 * many runs the project holds, under a lock that serialises run creation in the project), and
 * hands that snapshot to `work`. `work` is synchronous and pure except for the writes it makes
 * through the RunWrites it is given; the store commits them with the run before `withRun`
 * resolves, or, when `work` throws, keeps none of them.
 *
 * Why `work` is synchronous: over better-sqlite3 the whole transaction runs at once, so no other
 * write can come between its read and its writes, with no lock in the process. A store whose
 * statements really wait (PostgreSQL) reads the snapshot first (`SELECT … FOR UPDATE` on the
 * run, an advisory lock on the project for a new run), records the writes `work` makes, then
 * sends them and commits, all inside one transaction; see docs/storage.md ("Architecture: the
 * core and the port").
 */
import type { AlertRecord, PackedRows, RunRef } from "@stepwise/protocol";
import type { HistoryColumns } from "../store/history-columns.js";
import type { StoredRun } from "../store/store.js";
import type { RichValue } from "./rich-values.js";

export interface RunSnapshot {
  /** The stored run, or null when the store holds no such run. */
  readonly run: StoredRun | null;
  /** When `run` is null: how many runs its project holds (the new run's ordinal is this + 1). */
  readonly projectRuns: number;
}

/** History rows of one batch as the store keeps them; each row comes with its index and step. */
export interface HistoryRowWrites {
  /** A row given as text (extended JSON). */
  row(index: number, step: number, text: string): void;
  /** Row `i` of the batch's packed rows (the batch's `PackedRows`, handed to `packedHistory`). */
  packedRow(i: number, index: number, step: number): void;
  /** No more rows in this batch. */
  end(): void;
}

export interface RunWrites {
  /** An event or meta record at its line index (never there before: the plan skips stored ones). */
  line(stream: "events" | "meta", index: number, text: string): void;
  /** A console line at its index: written, or rewritten when already there. */
  consoleLine(index: number, text: string): void;
  /** The `alert` meta record at meta index `index`. */
  alert(index: number, record: AlertRecord, replay: boolean, now: number): void;
  historyRows(): HistoryRowWrites;
  packedHistoryRows(packed: PackedRows): HistoryRowWrites;
  /** Points of one series (x = step), appended after its stored points. */
  seriesPoints(key: string, xs: Float64Array, ys: Float64Array): void;
  /** The batch's non-numeric history values, in row order (rich-values.ts). */
  richValues(values: readonly RichValue[]): void;
  /** The run as it is after the batch. */
  save(run: StoredRun): void;
  /**
   * Optional, for a store that keeps each run's history columns (store/history-columns.ts) so
   * that its exports read the history once: the columns kept for the run before this batch, or
   * null when none are. A store without it (PostgreSQL) exports in two passes.
   */
  historyColumns?(): HistoryColumns | null;
  /** Keeps the run's history columns as they are after this batch (with `historyColumns`). */
  saveHistoryColumns?(columns: HistoryColumns): void;
}

export interface IngestPort {
  /**
   * One transaction over run `ref`: `work(snapshot, open)` decides; `open(run)` stores `run` when
   * the snapshot held none (a new run) and returns the writes of the run.
   */
  withRun<T>(
    ref: RunRef,
    work: (snapshot: RunSnapshot, open: (run: StoredRun) => RunWrites) => T,
  ): Promise<T>;
}
