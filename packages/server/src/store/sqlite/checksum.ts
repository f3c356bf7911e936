/**
 * Checksums of the stored rows that hold run data (schema version 4): every history block and
 * every series chunk and rollup block carries a CRC32 of its content and of its place (index,
 * count, step bounds), written with the row and verified whenever the row is read. A mismatch
 * raises DamagedRowError, which callers that know the run turn into a StoreCorruptError, so a
 * damaged row is reported, never served as values.
 *
 * CRC32 (zlib's, ~5 GB/s here) costs ~40 µs per 1,000-row text block and ~2 µs per 8 KiB chunk:
 * under 3% of ingest and ~10% of a full-history scan. It detects every flip of up to 32 bits in
 * a row and anything else with a 2⁻³² chance of missing; it is no defence against deliberate edits.
 */
import { crc32 } from "node:zlib";
import type Database from "better-sqlite3";
import { CHUNK_POINTS } from "../../domain/series-levels.js";

/**
 * A stored row failed its checksum, or rows that must be there are not (a hole in a run's
 * history blocks or a series' chunks). `item` names the kind of row, `where` its place.
 */
export class DamagedRowError extends Error {
  constructor(
    readonly item: "history block" | "series chunk" | "series rollup",
    readonly where: string,
    /** `checksum mismatch`, `missing`, or what does not agree (a chunk's point count). */
    readonly problem: string = "checksum mismatch",
  ) {
    super(`${item} (${where}): ${problem}`);
    this.name = "DamagedRowError";
  }
}

const header = new Float64Array(4);
const headerBytes = new Uint8Array(header.buffer);

function crcOfNumbers(a: number, b: number, c: number, d: number): number {
  header[0] = a;
  header[1] = b;
  header[2] = c;
  header[3] = d;
  return crc32(headerBytes);
}

/**
 * The checksum of a `history_blocks` row: its place, its steps, its text body and packed rows.
 * The body as text or as its UTF-8 bytes (read with CAST(body AS BLOB)) gives the same sum.
 */
export function historyBlockChecksum(
  firstIndex: number,
  rowCount: number,
  minStep: number,
  maxStep: number,
  steps: Uint8Array,
  body: string | Uint8Array,
  packed: Uint8Array | null,
): number {
  let crc = crc32(steps, crcOfNumbers(firstIndex, rowCount, minStep, maxStep));
  if (body.length > 0) crc = crc32(body, crc);
  return packed === null ? crc : crc32(packed, crc);
}

/** The checksum of a `series_chunks` row: its index, point count, x bounds and x and y columns. */
export function chunkChecksum(
  chunkIndex: number,
  n: number,
  xFirst: number,
  xLast: number,
  xData: Uint8Array | null,
  yData: Uint8Array,
): number {
  const crc = crcOfNumbers(chunkIndex, n, xFirst, xLast);
  return crc32(yData, xData === null ? crc : crc32(xData, crc));
}

/** The checksum of a `series_rollups` row: its level, block index and units. */
export function rollupChecksum(level: number, blockIndex: number, units: Uint8Array): number {
  return crc32(units, crcOfNumbers(level, blockIndex, 0, 0));
}

/** The problem of a chunk whose point count disagrees with its series' count. */
export function chunkCountProblem(n: number, expected: number): string {
  return `point count ${n}, the series' count gives ${Math.max(0, expected)}`;
}

/** Places of rows as messages name them. */
export const places = {
  historyBlock: (firstIndex: number, rowCount: number): string =>
    `history rows ${firstIndex}–${firstIndex + rowCount - 1}`,
  chunk: (key: string, chunkIndex: number, n: number): string =>
    `series '${key}', points ${chunkIndex * CHUNK_POINTS}–${chunkIndex * CHUNK_POINTS + n - 1}`,
  rollup: (key: string, level: number, blockIndex: number): string =>
    `series '${key}', rollup level ${level} block ${blockIndex}`,
};

/**
 * The checksum functions as SQL functions, so that a migration can compute them for rows
 * written before checksums existed (schema.ts, version 4).
 */
export function registerChecksumFunctions(db: Database.Database): void {
  const options = { deterministic: true } as const;
  db.function(
    "stepwise_history_crc",
    options,
    (
      first: number,
      count: number,
      min: number,
      max: number,
      steps: Buffer,
      body: string,
      packed: Buffer | null,
    ) => historyBlockChecksum(first, count, min, max, steps, body, packed),
  );
  db.function(
    "stepwise_chunk_crc",
    options,
    (index: number, n: number, xFirst: number, xLast: number, xData: Buffer | null, yData: Buffer) =>
      chunkChecksum(index, n, xFirst, xLast, xData, yData),
  );
  db.function("stepwise_rollup_crc", options, (level: number, index: number, units: Buffer) =>
    rollupChecksum(level, index, units),
  );
}
