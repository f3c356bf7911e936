/**
 * The series planner's port (series/series-port.ts) on PostgreSQL, bound to one connection
 * that holds a REPEATABLE READ READ ONLY transaction for the whole query (postgres-store.ts),
 * so every read of one query sees one state of each series. Chunks and blocks are read by
 * index range; positions by x go through the (series_id, x_first) index, then one chunk.
 * A chunk or block that should be there and is not fails the query with STORE_CORRUPT.
 */
import type pg from "pg";
import { StoreCorruptError, type RunRef } from "@stepwise/protocol";
import { CHUNK_POINTS } from "../../domain/series-levels.js";
import type { DecodedChunk, RollupBlock, SeriesInfo, SeriesSourcePort } from "../../series/series-port.js";
import { decodeChunkX, fromBlob } from "../sqlite/float-blob.js";

interface ChunkRow {
  chunk_index: number;
  n: number;
  x_first: number;
  x_last: number;
  x_data: Buffer | null;
  y_data: Buffer;
}

const CHUNK = "chunk_index, n, x_first, x_last, x_data, y_data";

/** A stored row missing or not agreeing with its series: turned into STORE_CORRUPT by `guarded`. */
class MissingRow extends Error {}

export class PgSeriesPort implements SeriesSourcePort {
  constructor(
    private readonly client: pg.PoolClient,
    private readonly where: string,
  ) {}

  async runOf(ref: RunRef): Promise<{ pk: number; historyRows: number } | null> {
    const { rows } = await this.client.query<{ pk: number; history_count: number }>(
      "SELECT pk, history_count FROM runs WHERE entity = $1 AND project = $2 AND run_id = $3",
      [ref.entity, ref.project, ref.runId],
    );
    const row = rows[0];
    return row ? { pk: row.pk, historyRows: row.history_count } : null;
  }

  async find(runPk: number, key: string): Promise<SeriesInfo | null> {
    const { rows } = await this.client.query<{
      id: number;
      point_count: number;
      sorted: boolean;
      rising: boolean;
    }>("SELECT id, point_count, sorted, rising FROM series WHERE run_pk = $1 AND key = $2", [runPk, key]);
    const row = rows[0];
    return row ? { id: row.id, key, count: row.point_count, sorted: row.sorted, rising: row.rising } : null;
  }

  async chunks(series: SeriesInfo, from: number, to: number): Promise<DecodedChunk[]> {
    if (to <= from) return [];
    const first = Math.floor(from / CHUNK_POINTS);
    const last = Math.floor((to - 1) / CHUNK_POINTS);
    const { rows } = await this.client.query<ChunkRow>(
      `SELECT ${CHUNK} FROM series_chunks WHERE series_id = $1 AND chunk_index BETWEEN $2 AND $3
       ORDER BY chunk_index`,
      [series.id, first, last],
    );
    return rows
      .map((row, i) => {
        const expected = Math.min(CHUNK_POINTS, series.count - (first + i) * CHUNK_POINTS);
        if (row.chunk_index !== first + i || row.n !== expected)
          throw new MissingRow(
            `series chunk ${first + i} of '${series.key}': missing or holds ${row.n} points`,
          );
        return {
          index: row.chunk_index,
          xs: decodeChunkX(row.x_data, row.n, row.x_first, row.x_last),
          ys: fromBlob(row.y_data),
        };
      })
      .concat(
        rows.length === last - first + 1 ? [] : missing(`series chunks ${first}…${last} of '${series.key}'`),
      );
  }

  async blocks(series: SeriesInfo, level: number, from: number, to: number): Promise<RollupBlock[]> {
    const { rows } = await this.client.query<{ block_index: number; units: Buffer }>(
      `SELECT block_index, units FROM series_rollups WHERE series_id = $1 AND level = $2
         AND block_index BETWEEN $3 AND $4 ORDER BY block_index`,
      [series.id, level, from, to],
    );
    if (rows.length !== to - from + 1 || rows.some((r, i) => r.block_index !== from + i))
      missing(`rollup blocks ${from}…${to} of level ${level} of '${series.key}'`);
    return rows.map((r) => ({ index: r.block_index, units: fromBlob(r.units) }));
  }

  async position(series: SeriesInfo, bound: number, after: boolean): Promise<number> {
    const { rows } = await this.client.query<ChunkRow>(
      `SELECT ${CHUNK} FROM series_chunks WHERE series_id = $1 AND x_first ${after ? "<=" : "<"} $2
       ORDER BY x_first DESC, chunk_index DESC LIMIT 1`,
      [series.id, bound],
    );
    const row = rows[0];
    if (!row) return 0;
    const base = row.chunk_index * CHUNK_POINTS;
    if (after ? row.x_last <= bound : row.x_last < bound) return base + row.n;
    const xs = decodeChunkX(row.x_data, row.n, row.x_first, row.x_last);
    return base + firstNotBelow(xs, bound, after);
  }

  async valuePosition(series: SeriesInfo, bound: number, after: boolean): Promise<number> {
    const below = (v: number): boolean => (after ? v <= bound : v < bound);
    const values = async (chunk: number): Promise<Float64Array> => {
      const { rows } = await this.client.query<{ y_data: Buffer }>(
        "SELECT y_data FROM series_chunks WHERE series_id = $1 AND chunk_index = $2",
        [series.id, chunk],
      );
      return rows[0] ? fromBlob(rows[0].y_data) : new Float64Array(0);
    };
    // The last chunk whose first value is below the bound: the position is in it or just after.
    let lo = 0;
    let hi = Math.ceil(series.count / CHUNK_POINTS) - 1;
    if (hi < 0 || !below((await values(0))[0] ?? Infinity)) return 0;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (below((await values(mid))[0] ?? Infinity)) lo = mid;
      else hi = mid - 1;
    }
    return lo * CHUNK_POINTS + firstNotBelow(await values(lo), bound, after);
  }

  async guarded<T>(ref: RunRef, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof MissingRow)) throw error;
      const run = `${ref.entity}/${ref.project}/${ref.runId}`;
      throw new StoreCorruptError(
        `run ${run} is damaged in the PostgreSQL database ${this.where}: ${error.message}`,
        { run, item: "series", where: error.message, database: this.where },
      );
    }
  }
}

function missing(what: string): never {
  throw new MissingRow(`${what}: missing`);
}

/** The first index whose value is ≥ bound (> bound when `after`), in ascending values. */
function firstNotBelow(values: Float64Array, bound: number, after: boolean): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = values[mid] as number;
    if (after ? v <= bound : v < bound) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
