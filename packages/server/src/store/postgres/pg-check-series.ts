/**
 * The series part of the PostgreSQL check (pg-check.ts): each series' chunks must cover its
 * point count without a hole, hold the points its count gives them, and decode (x and y columns
 * of 8 bytes a point, x bounds agreeing with a stored x column); each kept rollup level
 * (domain/series-levels.ts) must hold blocks 0 … the one of its last unit, each a whole number
 * of units. The places and messages are the SQLite check's (sqlite/stored-rows.ts).
 */
import type pg from "pg";
import { BLOCK_UNITS, topLevel } from "../../domain/series-levels.js";
import { STATS_STRIDE } from "../../domain/series-stats.js";
import type { DamagedItem, DatabaseCheckResult } from "../database-check.js";
import { chunkCountProblem, places } from "../sqlite/checksum.js";
import { fromBlob } from "../sqlite/float-blob.js";
import { checkChunksEnd, checkRollupsEnd, lastRollupBlock } from "../sqlite/stored-rows.js";
import { CHUNK_POINTS } from "../../domain/series-levels.js";

/** Chunks (8–16 KiB each) and rollup blocks read per query. */
const PAGE = 256;
const UNIT_BYTES = STATS_STRIDE * 8;

type Report = (item: DamagedItem["item"], where: string, problem: string) => void;

interface SeriesRow {
  id: number;
  key: string;
  count: number;
}

interface ChunkRow {
  chunk_index: number;
  n: number;
  x_first: number;
  x_last: number;
  x_data: Buffer | null;
  y_data: Buffer;
}

export async function checkRunSeries(
  client: pg.PoolClient,
  runPk: number,
  result: DatabaseCheckResult,
  report: Report,
): Promise<void> {
  const { rows } = await client.query<SeriesRow>(
    "SELECT id, key, point_count AS count FROM series WHERE run_pk = $1 ORDER BY key",
    [runPk],
  );
  for (const series of rows) {
    await checkChunks(client, series, result, report);
    await checkRollups(client, series, result, report);
  }
}

async function checkChunks(
  client: pg.PoolClient,
  series: SeriesRow,
  result: DatabaseCheckResult,
  report: Report,
): Promise<void> {
  let next = 0;
  for (;;) {
    const { rows } = await client.query<ChunkRow>(
      `SELECT chunk_index, n, x_first, x_last, x_data, y_data FROM series_chunks
       WHERE series_id = $1 AND chunk_index >= $2 ORDER BY chunk_index LIMIT ${PAGE}`,
      [series.id, next],
    );
    for (const chunk of rows) {
      result.seriesChunks++;
      checkChunksEnd(series, next, chunk.chunk_index, report);
      const problem = chunkProblem(series, chunk);
      if (problem !== null)
        report("series chunk", places.chunk(series.key, chunk.chunk_index, chunk.n), problem);
      next = chunk.chunk_index + 1;
    }
    if (rows.length < PAGE) break;
  }
  checkChunksEnd(series, next, Infinity, report);
}

/** What is wrong with a chunk, or null when it decodes to the points its series' count gives it. */
function chunkProblem(series: SeriesRow, c: ChunkRow): string | null {
  const n = Math.min(CHUNK_POINTS, series.count - c.chunk_index * CHUNK_POINTS);
  if (c.n !== n) return chunkCountProblem(c.n, n);
  if (c.y_data.length !== c.n * 8)
    return `its y column holds ${c.y_data.length} bytes, ${c.n} points need ${c.n * 8}`;
  if (c.x_data === null) return null;
  if (c.x_data.length !== c.n * 8)
    return `its x column holds ${c.x_data.length} bytes, ${c.n} points need ${c.n * 8}`;
  const xs = fromBlob(c.x_data);
  if (!Object.is(xs[0], c.x_first) || !Object.is(xs[c.n - 1], c.x_last))
    return `its x column runs ${xs[0]}…${xs[c.n - 1]}, its bounds say ${c.x_first}…${c.x_last}`;
  return null;
}

async function checkRollups(
  client: pg.PoolClient,
  series: SeriesRow,
  result: DatabaseCheckResult,
  report: Report,
): Promise<void> {
  const top = topLevel(series.count);
  const last = (level: number): number => (level <= top ? lastRollupBlock(level, series.count) : -1);
  let level = 1;
  let next = 0;
  for (let after = [0, -1]; ;) {
    const { rows } = await client.query<{ level: number; block_index: number; units: Buffer }>(
      `SELECT level, block_index, units FROM series_rollups
       WHERE series_id = $1 AND (level, block_index) > ($2, $3) ORDER BY level, block_index LIMIT ${PAGE}`,
      [series.id, after[0], after[1]],
    );
    for (const row of rows) {
      result.seriesRollups++;
      for (; level < row.level; level++, next = 0)
        checkRollupsEnd(series.key, level, next, last(level), report);
      checkRollupsEnd(series.key, level, next, Math.min(row.block_index - 1, last(level)), report);
      const whole = row.block_index < last(level);
      const units = row.units.length / UNIT_BYTES;
      if (!Number.isInteger(units) || units === 0 || units > BLOCK_UNITS || (whole && units !== BLOCK_UNITS))
        report(
          "series rollup",
          places.rollup(series.key, row.level, row.block_index),
          `holds ${row.units.length} bytes, not ${whole ? BLOCK_UNITS : `1–${BLOCK_UNITS}`} units of ${UNIT_BYTES}`,
        );
      next = Math.max(next, row.block_index + 1);
      after = [row.level, row.block_index];
    }
    if (rows.length < PAGE) break;
  }
  for (; level <= top; level++, next = 0) checkRollupsEnd(series.key, level, next, last(level), report);
}
