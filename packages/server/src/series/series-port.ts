/**
 * What the series planner (series-query.ts) reads, and nothing else: a store implements this
 * port over its own tables (SQLite: store/sqlite/series-source.ts). Every read is async so a
 * networked store can serve it; reads are by position range, so a query costs about
 * buckets…4·buckets units whatever the series length (domain/series-levels.ts).
 *
 * One query's reads must see one state of each series: the SQLite port answers every read at
 * once (no other write can run between two microtasks of one query); a store whose reads really
 * wait runs a query in one read-only snapshot (PostgreSQL: REPEATABLE READ READ ONLY).
 */
import type { RunRef } from "@stepwise/protocol";

export interface SeriesInfo {
  id: number;
  key: string;
  count: number;
  /** x never decreased: positions can be found by x. */
  sorted: boolean;
  /** Values are finite and never decreased: positions can be found by value. */
  rising: boolean;
}

export interface DecodedChunk {
  index: number;
  xs: Float64Array;
  ys: Float64Array;
}

/** A stored rollup block: BLOCK_UNITS packed units (STATS_STRIDE Float64s each). */
export interface RollupBlock {
  index: number;
  units: Float64Array;
}

export interface SeriesSourcePort {
  /** The run's key and its history row count, or null for an unknown run. */
  runOf(ref: RunRef): Promise<{ pk: number; historyRows: number } | null>;
  find(runPk: number, key: string): Promise<SeriesInfo | null>;
  /**
   * Chunks holding positions [from, to), verified and decoded, in order. Each must be there,
   * with the point count the series' count gives it: a hole is reported, never skipped.
   */
  chunks(series: SeriesInfo, from: number, to: number): Promise<DecodedChunk[]>;
  /** Rollup blocks [from, to] of a level, verified, in order; a missing one is reported. */
  blocks(series: SeriesInfo, level: number, from: number, to: number): Promise<RollupBlock[]>;
  /** In a sorted series, the first position whose x is ≥ `bound` (or > `bound` when `after`). */
  position(series: SeriesInfo, bound: number, after: boolean): Promise<number>;
  /** In a rising series, the first position whose value is ≥ `bound` (or > `bound` when `after`). */
  valuePosition(series: SeriesInfo, bound: number, after: boolean): Promise<number>;
  /** Runs `work`, reporting damage it meets as the store's corruption error naming `ref`. */
  guarded<T>(ref: RunRef, work: () => Promise<T>): Promise<T>;
}
