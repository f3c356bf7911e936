/**
 * The stored rows that hold run data (history blocks, series chunks, rollup blocks) as they are
 * read: their types, the columns a read selects, and the checks each row must pass (its checksum,
 * its place after the row before, its point count). Every reader and the full store check use
 * these same checks: a reader passes `throwDamage`, so a read stops at the first damage with
 * DamagedRowError; the check passes a report that collects, so it lists everything.
 */
import { BLOCK_UNITS, CHUNK_POINTS, unitSize } from "../../domain/series-levels.js";
import {
  chunkChecksum,
  chunkCountProblem,
  DamagedRowError,
  historyBlockChecksum,
  places,
  rollupChecksum,
} from "./checksum.js";

/** Receives one damaged row: what kind, where, and the problem. */
export type Report = (item: DamagedRowError["item"], where: string, problem: string) => void;

/** The report of readers: the first damage ends the read. */
export const throwDamage: Report = (item, where, problem) => {
  throw new DamagedRowError(item, where, problem);
};

export const HISTORY_BLOCK_COLUMNS = "first_index, row_count, min_step, max_step, steps, body, packed, crc";

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

export const CHUNK_COLUMNS = "chunk_index, n, x_first, x_last, x_data, y_data, crc";

export interface ChunkRow {
  chunk_index: number;
  n: number;
  x_first: number;
  x_last: number;
  x_data: Buffer | null;
  y_data: Buffer;
  crc: number;
}

export const ROLLUP_COLUMNS = "level, block_index, units, crc";

export interface RollupRow {
  level: number;
  block_index: number;
  units: Buffer;
  crc: number;
}

/** A history block read with its body as UTF-8 bytes (`CAST(body AS BLOB)`), for byte-level export. */
export type HistoryBlockBytesRow = Omit<HistoryBlockRow, "body"> & { body: Buffer };

/** A series as its chunks are checked against it: its key and stored point count. */
export interface SeriesCount {
  key: string;
  count: number;
}

/** Checks a history block against its checksum. */
export function verifyHistoryBlock(b: HistoryBlockRow | HistoryBlockBytesRow, report: Report): void {
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
}

/**
 * Checks a history block read where row `expected` should begin (null for a step-bounded read,
 * which passes blocks by, so the place is not checked): a later start is a hole, an earlier one
 * an overlap with the block before; then its checksum. Returns the row after what is covered.
 */
export function checkHistoryBlock(
  b: HistoryBlockRow | HistoryBlockBytesRow,
  expected: number | null,
  report: Report,
): number {
  const first = b.first_index;
  if (expected !== null && first > expected) {
    report("history block", places.historyBlock(expected, first - expected), "missing");
  } else if (expected !== null && first < expected) {
    const twice = Math.min(expected, first + b.row_count) - 1;
    report(
      "history block",
      places.historyBlock(first, b.row_count),
      `overlaps the block before it (rows ${first}–${twice} are stored twice)`,
    );
  }
  verifyHistoryBlock(b, report);
  return Math.max(expected ?? 0, first + b.row_count);
}

/** After the last history block of a whole read: the blocks must have covered `count` rows. */
export function checkHistoryEnd(next: number, count: number, report: Report): void {
  if (next < count) report("history block", places.historyBlock(next, count - next), "missing");
}

/** Checks a series chunk against its checksum. */
export function verifyChunk(key: string, c: ChunkRow, report: Report): void {
  const crc = chunkChecksum(c.chunk_index, c.n, c.x_first, c.x_last, c.x_data, c.y_data);
  if (crc !== c.crc) report("series chunk", places.chunk(key, c.chunk_index, c.n), "checksum mismatch");
}

/**
 * Checks a series chunk read where chunk `expected` should be: no chunk before it is missing,
 * its checksum, and its point count is the one the series' count gives it (a damaged `series`
 * row must not shorten reads). Returns the index of the chunk after it.
 */
export function checkChunk(series: SeriesCount, c: ChunkRow, expected: number, report: Report): number {
  if (c.chunk_index > expected) missingChunks(series, expected, c.chunk_index, report);
  verifyChunk(series.key, c, report);
  const n = Math.min(CHUNK_POINTS, series.count - c.chunk_index * CHUNK_POINTS);
  if (c.n !== n)
    report("series chunk", places.chunk(series.key, c.chunk_index, c.n), chunkCountProblem(c.n, n));
  return Math.max(expected, c.chunk_index + 1);
}

/** After the last chunk read: chunks `next` … `end` − 1 must have been there. */
export function checkChunksEnd(series: SeriesCount, next: number, end: number, report: Report): void {
  missingChunks(series, next, end, report);
}

/** Reports chunks [from, to) as missing, as far as the series' count reaches. */
function missingChunks(series: SeriesCount, from: number, to: number, report: Report): void {
  const end = Math.min(to, Math.ceil(series.count / CHUNK_POINTS));
  if (end <= from) return;
  const points = Math.min(end * CHUNK_POINTS, series.count) - from * CHUNK_POINTS;
  report("series chunk", places.chunk(series.key, from, points), "missing");
}

/** The index of the last rollup block of `level` in a series of `count` points. */
export function lastRollupBlock(level: number, count: number): number {
  return Math.floor((count - 1) / (unitSize(level) * BLOCK_UNITS));
}

/** Checks a rollup block against its checksum. */
export function verifyRollup(key: string, r: RollupRow, report: Report): void {
  if (r.crc !== rollupChecksum(r.level, r.block_index, r.units))
    report("series rollup", places.rollup(key, r.level, r.block_index), "checksum mismatch");
}

/**
 * Checks a rollup block read where block `expected` of its level should be: the blocks before
 * it, up to `last`, are there; then its checksum. Returns the index of the block after it.
 */
export function checkRollupBlock(
  key: string,
  r: RollupRow,
  expected: number,
  last: number,
  report: Report,
): number {
  checkRollupsEnd(key, r.level, expected, Math.min(r.block_index - 1, last), report);
  verifyRollup(key, r, report);
  return Math.max(expected, r.block_index + 1);
}

/** Blocks `next` … `last` of a level must have been there. */
export function checkRollupsEnd(
  key: string,
  level: number,
  next: number,
  last: number,
  report: Report,
): void {
  for (let index = next; index <= last; index++)
    report("series rollup", places.rollup(key, level, index), "missing");
}
