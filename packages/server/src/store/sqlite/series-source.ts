/**
 * Read access to stored series for queries: series lookup, decoded chunks and rollup blocks by
 * index range, and the position of an x value (binary search through the (series, x_first)
 * index, then within one chunk), which is what makes a ranged query independent of length.
 * SqliteSeriesPort answers the series planner's port (series/series-port.ts) from these reads.
 */
import type Database from "better-sqlite3";
import type { RunRef } from "@stepwise/protocol";
import { CHUNK_POINTS } from "../../domain/series-levels.js";
import type { DecodedChunk, RollupBlock, SeriesInfo, SeriesSourcePort } from "../../series/series-port.js";
import { decodeChunkX, fromBlob } from "./float-blob.js";
import {
  checkChunk,
  checkChunksEnd,
  checkRollupBlock,
  checkRollupsEnd,
  CHUNK_COLUMNS,
  ROLLUP_COLUMNS,
  throwDamage,
  verifyChunk,
  type ChunkRow,
  type RollupRow,
} from "./stored-rows.js";
import { settle } from "./settle.js";
import { asStoreCorruption } from "./store-corruption.js";

export type { DecodedChunk, SeriesInfo };

export class SeriesSource {
  private readonly run: Database.Statement<[string, string, string], { pk: number; history_count: number }>;
  private readonly series: Database.Statement<
    [number, string],
    { id: number; point_count: number; sorted: number; rising: number }
  >;
  private readonly chunkAt: Database.Statement<[number, number], ChunkRow>;
  private readonly chunkRange: Database.Statement<[number, number, number], ChunkRow>;
  private readonly blockRange: Database.Statement<[number, number, number, number], RollupRow>;
  private readonly chunkBelow: Database.Statement<[number, number], ChunkRow>;
  private readonly chunkAtOrBelow: Database.Statement<[number, number], ChunkRow>;

  /** The database file, for messages about damage. */
  readonly database: string;

  constructor(db: Database.Database) {
    this.database = db.name;
    this.run = db.prepare(
      "SELECT pk, history_count FROM runs WHERE entity = ? AND project = ? AND run_id = ?",
    );
    this.series = db.prepare(
      "SELECT id, point_count, sorted, rising FROM series WHERE run_pk = ? AND key = ?",
    );
    this.chunkAt = db.prepare(
      `SELECT ${CHUNK_COLUMNS} FROM series_chunks WHERE series_id = ? AND chunk_index = ?`,
    );
    this.chunkRange = db.prepare(
      `SELECT ${CHUNK_COLUMNS} FROM series_chunks
       WHERE series_id = ? AND chunk_index BETWEEN ? AND ? ORDER BY chunk_index`,
    );
    this.blockRange = db.prepare(
      `SELECT ${ROLLUP_COLUMNS} FROM series_rollups
       WHERE series_id = ? AND level = ? AND block_index BETWEEN ? AND ? ORDER BY block_index`,
    );
    // Whole rows, y included, though a position needs only x: a row is verified as a whole.
    const chunkBy = (op: string): string =>
      `SELECT ${CHUNK_COLUMNS} FROM series_chunks
       WHERE series_id = ? AND x_first ${op} ? ORDER BY x_first DESC, chunk_index DESC LIMIT 1`;
    this.chunkBelow = db.prepare(chunkBy("<"));
    this.chunkAtOrBelow = db.prepare(chunkBy("<="));
  }

  /** The run's row id and its history row count, or null for an unknown run. */
  runOf(ref: RunRef): { pk: number; historyRows: number } | null {
    const row = this.run.get(ref.entity, ref.project, ref.runId);
    return row ? { pk: row.pk, historyRows: row.history_count } : null;
  }

  find(runPk: number, key: string): SeriesInfo | null {
    const row = this.series.get(runPk, key);
    return row
      ? { id: row.id, key, count: row.point_count, sorted: row.sorted !== 0, rising: row.rising !== 0 }
      : null;
  }

  /**
   * Chunks holding positions [from, to), verified and decoded, in order. Each must be there,
   * with the point count the series' count gives it: a hole is reported, never skipped.
   */
  *chunks(series: SeriesInfo, from: number, to: number): Generator<DecodedChunk> {
    if (to <= from) return;
    const first = Math.floor(from / CHUNK_POINTS);
    const last = Math.floor((to - 1) / CHUNK_POINTS);
    let expected = first;
    for (const row of this.chunkRange.iterate(series.id, first, last)) {
      expected = checkChunk(series, row, expected, throwDamage);
      yield {
        index: row.chunk_index,
        xs: decodeChunkX(row.x_data, row.n, row.x_first, row.x_last),
        ys: fromBlob(row.y_data),
      };
    }
    checkChunksEnd(series, expected, last + 1, throwDamage);
  }

  /** Rollup blocks [from, to] of a level, verified, in order; a missing one is reported. */
  *blocks(series: SeriesInfo, level: number, from: number, to: number): Generator<RollupBlock> {
    let expected = from;
    for (const row of this.blockRange.iterate(series.id, level, from, to)) {
      expected = checkRollupBlock(series.key, row, expected, to, throwDamage);
      yield { index: row.block_index, units: fromBlob(row.units) };
    }
    checkRollupsEnd(series.key, level, expected, to, throwDamage);
  }

  /** Every point of a series, in position order. */
  all(series: SeriesInfo): { xs: Float64Array; ys: Float64Array } {
    const xs = new Float64Array(series.count);
    const ys = new Float64Array(series.count);
    for (const chunk of this.chunks(series, 0, series.count)) {
      xs.set(chunk.xs, chunk.index * CHUNK_POINTS);
      ys.set(chunk.ys, chunk.index * CHUNK_POINTS);
    }
    return { xs, ys };
  }

  /**
   * In a rising series, the first position whose value is ≥ `bound` (or > `bound` when
   * `after`): a binary search over chunks by their first value (~log2(count / 1,024) chunk reads).
   */
  valuePosition(series: SeriesInfo, bound: number, after: boolean): number {
    const below = (v: number): boolean => (after ? v <= bound : v < bound);
    const values = (chunk: number): Float64Array => {
      const row = this.chunkAt.get(series.id, chunk);
      if (!row) return new Float64Array(0);
      verifyChunk(series.key, row, throwDamage);
      return fromBlob(row.y_data);
    };
    // The last chunk whose first value is below the bound; the position lies in it or just after.
    let lo = 0;
    let hi = Math.ceil(series.count / CHUNK_POINTS) - 1;
    if (hi < 0 || !below(values(0)[0] ?? Infinity)) return 0;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (below(values(mid)[0] ?? Infinity)) lo = mid;
      else hi = mid - 1;
    }
    const ys = values(lo);
    let i = 0;
    let j = ys.length;
    while (i < j) {
      const mid = (i + j) >>> 1;
      if (below(ys[mid] as number)) i = mid + 1;
      else j = mid;
    }
    return lo * CHUNK_POINTS + i;
  }

  /** In a sorted series, the first position whose x is ≥ `bound` (or > `bound` when `after`). */
  position(series: SeriesInfo, bound: number, after: boolean): number {
    const row = (after ? this.chunkAtOrBelow : this.chunkBelow).get(series.id, bound);
    if (!row) return 0;
    verifyChunk(series.key, row, throwDamage);
    const base = row.chunk_index * CHUNK_POINTS;
    if (after ? row.x_last <= bound : row.x_last < bound) return base + row.n;
    const xs = decodeChunkX(row.x_data, row.n, row.x_first, row.x_last);
    let lo = 0;
    let hi = row.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const x = xs[mid] as number;
      if (after ? x <= bound : x < bound) lo = mid + 1;
      else hi = mid;
    }
    return base + lo;
  }
}

/**
 * The series planner's port over SeriesSource: each read runs at once (better-sqlite3 is
 * synchronous) and hands back a settled promise, so no write can run between the reads of one
 * query in this process; damage is reported as STORE_CORRUPT naming the run.
 */
export class SqliteSeriesPort implements SeriesSourcePort {
  constructor(private readonly source: SeriesSource) {}

  runOf(ref: RunRef): Promise<{ pk: number; historyRows: number } | null> {
    return settle(() => this.source.runOf(ref));
  }
  find(runPk: number, key: string): Promise<SeriesInfo | null> {
    return settle(() => this.source.find(runPk, key));
  }
  chunks(series: SeriesInfo, from: number, to: number): Promise<DecodedChunk[]> {
    return settle(() => [...this.source.chunks(series, from, to)]);
  }
  blocks(series: SeriesInfo, level: number, from: number, to: number): Promise<RollupBlock[]> {
    return settle(() => [...this.source.blocks(series, level, from, to)]);
  }
  position(series: SeriesInfo, bound: number, after: boolean): Promise<number> {
    return settle(() => this.source.position(series, bound, after));
  }
  valuePosition(series: SeriesInfo, bound: number, after: boolean): Promise<number> {
    return settle(() => this.source.valuePosition(series, bound, after));
  }
  async guarded<T>(ref: RunRef, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw asStoreCorruption(error, this.source.database, ref);
    }
  }
}
