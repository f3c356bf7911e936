/**
 * Appends numeric points to column-wise series inside the batch's transaction. Each series'
 * growing end (open chunk and open rollup blocks) is cached in memory as a SeriesTail, written
 * through on every append, so a batch only rewrites the rows it changed. The cache is checked
 * against the stored point count before use (another writer, or a rolled-back transaction,
 * makes it rebuild from the rows) and bounded (least recently used tails are dropped).
 */
import type Database from "better-sqlite3";
import { SeriesTail, type TailWrites } from "../../domain/series-tail.js";
import { CHUNK_POINTS } from "../../domain/series-levels.js";
import { chunkChecksum, rollupChecksum } from "./checksum.js";
import { decodeChunkX, encodeChunkX, fromBlob, toBlob } from "./float-blob.js";
import {
  checkChunk,
  CHUNK_COLUMNS,
  ROLLUP_COLUMNS,
  throwDamage,
  verifyRollup,
  type ChunkRow,
  type RollupRow,
} from "./stored-rows.js";

/** A tail is 16 KiB plus 4 KiB per kept level (≤ ~60 KiB); 2,048 tails bound the cache near 120 MiB. */
const MAX_CACHED_TAILS = 2048;

interface SeriesRow {
  id: number;
  point_count: number;
  sorted: number;
  last_x: number | null;
  rising: number;
  last_y: number | null;
}

export class SeriesWriter {
  private readonly tails = new Map<number, SeriesTail>();
  private readonly selectSeries: Database.Statement<[number, string], SeriesRow>;
  private readonly insertSeries: Database.Statement<[number, string], { id: number }>;
  private readonly updateSeries: Database.Statement<
    [number, number, number | null, number, number | null, number]
  >;
  private readonly selectChunk: Database.Statement<[number, number], ChunkRow>;
  private readonly selectBlock: Database.Statement<[number, number, number], RollupRow>;
  private readonly upsertChunk: Database.Statement<
    [number, number, number, number, number, Buffer | null, Buffer, number]
  >;
  private readonly upsertBlock: Database.Statement<[number, number, number, Buffer, number]>;

  constructor(db: Database.Database) {
    this.selectSeries = db.prepare(
      "SELECT id, point_count, sorted, last_x, rising, last_y FROM series WHERE run_pk = ? AND key = ?",
    );
    this.insertSeries = db.prepare(
      `INSERT INTO series (run_pk, key, point_count, sorted, last_x, rising, last_y)
       VALUES (?, ?, 0, 1, NULL, 1, NULL) RETURNING id`,
    );
    this.updateSeries = db.prepare(
      "UPDATE series SET point_count = ?, sorted = ?, last_x = ?, rising = ?, last_y = ? WHERE id = ?",
    );
    this.selectChunk = db.prepare(
      `SELECT ${CHUNK_COLUMNS} FROM series_chunks WHERE series_id = ? AND chunk_index = ?`,
    );
    this.selectBlock = db.prepare(
      `SELECT ${ROLLUP_COLUMNS} FROM series_rollups WHERE series_id = ? AND level = ? AND block_index = ?`,
    );
    this.upsertChunk = db.prepare(
      `INSERT INTO series_chunks (series_id, chunk_index, n, x_first, x_last, x_data, y_data, crc)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (series_id, chunk_index) DO UPDATE SET n = excluded.n, x_first = excluded.x_first,
         x_last = excluded.x_last, x_data = excluded.x_data, y_data = excluded.y_data, crc = excluded.crc`,
    );
    this.upsertBlock = db.prepare(
      `INSERT INTO series_rollups (series_id, level, block_index, units, crc) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (series_id, level, block_index) DO UPDATE SET units = excluded.units, crc = excluded.crc`,
    );
  }

  /** Appends points (x = step) to the series `key` of run `runPk`, creating it on first sight. */
  append(runPk: number, key: string, xs: ArrayLike<number>, ys: ArrayLike<number>): void {
    const row = this.selectSeries.get(runPk, key);
    const id = row ? row.id : (this.insertSeries.get(runPk, key) as { id: number }).id;
    const tail = this.tailOf(id, key, row);
    this.write(id, tail.append(xs, ys));
    this.updateSeries.run(tail.count, tail.sorted ? 1 : 0, tail.lastX, tail.rising ? 1 : 0, tail.lastY, id);
  }

  /** Drops every cached tail: called when a transaction rolls back. */
  forget(): void {
    this.tails.clear();
  }

  private tailOf(id: number, key: string, row: SeriesRow | undefined): SeriesTail {
    const cached = this.tails.get(id);
    let tail: SeriesTail;
    if (cached && cached.count === (row?.point_count ?? 0)) {
      this.tails.delete(id);
      tail = cached;
    } else if (!row || row.point_count === 0) {
      tail = SeriesTail.empty();
    } else {
      tail = this.restore(id, key, row);
    }
    this.tails.set(id, tail);
    if (this.tails.size > MAX_CACHED_TAILS) {
      const oldest = this.tails.keys().next();
      if (!oldest.done) this.tails.delete(oldest.value);
    }
    return tail;
  }

  /**
   * The tail from the stored rows, each checked (the open chunk's point count too): a damaged one
   * must not be carried into new rows.
   */
  private restore(id: number, key: string, row: SeriesRow): SeriesTail {
    const count = row.point_count;
    let chunk: { xs: Float64Array; ys: Float64Array } | null = null;
    if (count % CHUNK_POINTS !== 0) {
      const index = Math.floor(count / CHUNK_POINTS);
      const stored = this.selectChunk.get(id, index);
      if (stored) {
        checkChunk({ key, count }, stored, index, throwDamage);
        chunk = {
          xs: decodeChunkX(stored.x_data, stored.n, stored.x_first, stored.x_last),
          ys: fromBlob(stored.y_data),
        };
      }
    }
    const state = {
      count,
      sorted: row.sorted !== 0,
      lastX: row.last_x,
      rising: row.rising !== 0,
      lastY: row.last_y,
    };
    return SeriesTail.restore(state, chunk, (level, index) => {
      const block = this.selectBlock.get(id, level, index);
      if (!block) return null;
      verifyRollup(key, block, throwDamage);
      return fromBlob(block.units);
    });
  }

  private write(id: number, writes: TailWrites): void {
    for (const chunk of writes.chunks) {
      const n = chunk.xs.length;
      const first = chunk.xs[0] as number;
      const last = chunk.xs[n - 1] as number;
      const xData = encodeChunkX(chunk.xs);
      const yData = toBlob(chunk.ys);
      const crc = chunkChecksum(chunk.index, n, first, last, xData, yData);
      this.upsertChunk.run(id, chunk.index, n, first, last, xData, yData, crc);
    }
    for (const block of writes.blocks) {
      const units = toBlob(block.units);
      this.upsertBlock.run(
        id,
        block.level,
        block.index,
        units,
        rollupChecksum(block.level, block.index, units),
      );
    }
  }
}
