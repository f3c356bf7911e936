/**
 * The row checks of the full store check (check-sqlite-store.ts) for one run: its history
 * blocks and its series' chunks and rollup blocks, each against its checksum, and each set
 * against the count it must cover, so that a hole is reported as missing rows, points or blocks.
 */
import { BLOCK_UNITS, CHUNK_POINTS, topLevel, unitSize } from "../../domain/series-levels.js";
import {
  chunkChecksum,
  chunkCountProblem,
  historyBlockChecksum,
  places,
  rollupChecksum,
} from "./checksum.js";

/** One damaged thing: the run it belongs to (null for the file as a whole), what, where, why. */
export interface DamagedItem {
  run: string | null;
  item: "database" | "history block" | "series chunk" | "series rollup" | "file";
  where: string;
  problem: string;
}

/** How many rows of each kind were checked. */
export interface RowCounts {
  historyBlocks: number;
  seriesChunks: number;
  seriesRollups: number;
}

export interface HistoryBlockRow {
  first_index: number;
  row_count: number;
  min_step: number;
  max_step: number;
  steps: Buffer;
  body: string;
  packed: Buffer | null;
  crc: number;
}

export type Report = (item: DamagedItem["item"], where: string, problem: string) => void;

export function checkHistory(
  blocks: Iterable<HistoryBlockRow>,
  count: number,
  report: Report,
  result: RowCounts,
): void {
  let next = 0;
  for (const b of blocks) {
    result.historyBlocks++;
    if (b.first_index > next)
      report("history block", places.historyBlock(next, b.first_index - next), "missing");
    const crc = historyBlockChecksum(
      b.first_index,
      b.row_count,
      b.min_step,
      b.max_step,
      b.steps,
      b.body,
      b.packed,
    );
    if (crc !== b.crc)
      report("history block", places.historyBlock(b.first_index, b.row_count), "checksum mismatch");
    next = Math.max(next, b.first_index + b.row_count);
  }
  if (next < count) report("history block", places.historyBlock(next, count - next), "missing");
}

export interface ChunkRow {
  chunk_index: number;
  n: number;
  x_first: number;
  x_last: number;
  x_data: Buffer | null;
  y_data: Buffer;
  crc: number;
}

export interface RollupRow {
  level: number;
  block_index: number;
  units: Buffer;
  crc: number;
}

export function checkSeries(
  series: { key: string; point_count: number },
  chunks: Iterable<ChunkRow>,
  report: Report,
  result: RowCounts,
): void {
  let expected = 0;
  const last = Math.ceil(series.point_count / CHUNK_POINTS);
  const missing = (from: number, to: number): void =>
    report("series chunk", places.chunk(series.key, from, (to - from) * CHUNK_POINTS), "missing");
  for (const c of chunks) {
    result.seriesChunks++;
    if (c.chunk_index > expected) missing(expected, Math.min(c.chunk_index, last));
    const where = places.chunk(series.key, c.chunk_index, c.n);
    if (c.crc !== chunkChecksum(c.chunk_index, c.n, c.x_first, c.x_last, c.x_data, c.y_data))
      report("series chunk", where, "checksum mismatch");
    const n = Math.min(CHUNK_POINTS, series.point_count - c.chunk_index * CHUNK_POINTS);
    if (c.n !== n) report("series chunk", where, chunkCountProblem(c.n, n));
    expected = Math.max(expected, c.chunk_index + 1);
  }
  if (expected < last) missing(expected, last);
}

/** Each kept level (domain/series-levels.ts) must hold blocks 0 … the one of its last unit. */
export function checkRollups(
  series: { key: string; point_count: number },
  rows: Iterable<RollupRow>,
  report: Report,
  result: RowCounts,
): void {
  const top = topLevel(series.point_count);
  const lastBlock = (level: number): number =>
    Math.floor((series.point_count - 1) / (unitSize(level) * BLOCK_UNITS));
  let level = 1;
  let expected = 0;
  const missingUpTo = (last: number): void => {
    for (; expected <= last; expected++)
      report("series rollup", places.rollup(series.key, level, expected), "missing");
  };
  for (const r of rows) {
    result.seriesRollups++;
    for (; level < r.level; level++, expected = 0) if (level <= top) missingUpTo(lastBlock(level));
    if (r.level <= top) missingUpTo(Math.min(r.block_index, lastBlock(level) + 1) - 1);
    if (r.crc !== rollupChecksum(r.level, r.block_index, r.units))
      report("series rollup", places.rollup(series.key, r.level, r.block_index), "checksum mismatch");
    expected = r.block_index + 1;
  }
  for (; level <= top; level++, expected = 0) missingUpTo(lastBlock(level));
}
