/**
 * History blocks on PostgreSQL (the table: pg-schema-history.ts): what one batch writes, and the
 * checks every read of a block makes. A batch's rows are cut into blocks as on SQLite
 * (sqlite/history-block.ts: ≤ 1,000 rows, ≤ ~1 MiB): text rows are joined by "\n", packed rows
 * are kept packed (sqlite/packed-block.ts), so no number is formatted while training streams; a
 * read formats them (sqlite/history-compaction.ts `packedTexts`). A batch's blocks go as one
 * INSERT whose steps, bodies and sums are three binary parameters (sent as raw bytes, no text
 * escaping), cut apart by `substring` in the statement.
 */
import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";
import type pg from "pg";
import type { PackedRows } from "@stepwise/protocol";
import type { HistoryRowWrites } from "../../ingest/ingest-port.js";
import { places } from "../sqlite/checksum.js";
import { HistoryBlock } from "../sqlite/history-block.js";
import { packedTexts } from "../sqlite/history-compaction.js";
import { packedBlock } from "../sqlite/packed-block.js";

export const BLOCK_COLUMNS = "first_row, row_count, min_step, max_step, steps, body, packed, sum";

export interface PgHistoryBlockRow {
  first_row: number;
  row_count: number;
  min_step: number;
  max_step: number;
  steps: Buffer;
  body: Buffer;
  packed: boolean;
  sum: Buffer;
}

/** Receives one damaged block: where, and the problem (as sqlite/stored-rows.ts `Report`). */
export type BlockReport = (item: "history block", where: string, problem: string) => void;

/** The sum the server writes: a CRC32 (4 bytes); the migration's MD5 has 16. */
const SUM_BYTES = 4;

/**
 * The bytes a block's sum covers first: its place as `int8send`/`int4send`/`float8send` write it
 * (first row, count, step bounds) and whether it is packed; then its steps and body.
 */
function blockPlace(first: number, count: number, min: number, max: number, packed: boolean): Buffer {
  const place = Buffer.allocUnsafe(29);
  place.writeBigInt64BE(BigInt(first), 0);
  place.writeInt32BE(count, 8);
  place.writeDoubleBE(min, 12);
  place.writeDoubleBE(max, 20);
  place[28] = packed ? 1 : 0;
  return place;
}

/**
 * A block's sum as the server writes it: CRC32 (zlib's, as SQLite's checksums) of its place,
 * steps and body, big-endian. Blocks the schema-9 migration made in SQL carry an MD5 of the same
 * bytes instead (PostgreSQL 15 has no CRC32; MD5 here costs ~10× the CRC's CPU at ingest).
 */
export function blockSum(
  first: number,
  count: number,
  min: number,
  max: number,
  packed: boolean,
  steps: Uint8Array,
  body: Uint8Array,
): Buffer {
  const crc = crc32(body, crc32(steps, crc32(blockPlace(first, count, min, max, packed))));
  const sum = Buffer.allocUnsafe(SUM_BYTES);
  sum.writeUInt32BE(crc, 0);
  return sum;
}

/** Whether `b` matches its stored sum, whichever kind it is. */
function sumMatches(b: PgHistoryBlockRow): boolean {
  const { first_row: first, row_count: count, min_step: min, max_step: max, packed } = b;
  if (b.sum.length === SUM_BYTES)
    return blockSum(first, count, min, max, packed, b.steps, b.body).equals(b.sum);
  if (b.sum.length !== 16) return false;
  const md5 = createHash("md5").update(blockPlace(first, count, min, max, packed));
  return md5.update(b.steps).update(b.body).digest().equals(b.sum);
}

/**
 * Checks a block read where row `expected` should begin (null for a step-bounded read, which
 * passes blocks by): a later start is a hole, an earlier one an overlap; then its sum. Returns
 * the row after what it covers.
 */
export function checkBlock(b: PgHistoryBlockRow, expected: number | null, report: BlockReport): number {
  const first = b.first_row;
  if (expected !== null && first > expected)
    report("history block", places.historyBlock(expected, first - expected), "missing");
  else if (expected !== null && first < expected)
    report("history block", places.historyBlock(first, b.row_count), "overlaps the block before it");
  if (!sumMatches(b) || b.steps.length !== b.row_count * 8)
    report("history block", places.historyBlock(first, b.row_count), "checksum mismatch");
  return Math.max(expected ?? 0, first + b.row_count);
}

/** After the last block of a whole read: the blocks must have covered `count` rows. */
export function checkBlocksEnd(next: number, count: number, report: BlockReport): void {
  if (next < count) report("history block", places.historyBlock(next, count - next), "missing");
}

/** A checked block's rows as extended-JSON text. */
export function blockTexts(b: PgHistoryBlockRow, report: BlockReport): string[] {
  const texts = b.packed ? packedTexts(b.body) : b.body.toString("utf8").split("\n");
  if (texts.length !== b.row_count)
    report("history block", places.historyBlock(b.first_row, b.row_count), `holds ${texts.length} rows`);
  return texts;
}

/** A checked text block holds its row count of lines (counted on the bytes, not decoded). */
export function checkTextRowCount(b: PgHistoryBlockRow, report: BlockReport): void {
  let lines = 1;
  for (let at = b.body.indexOf(10); at !== -1; at = b.body.indexOf(10, at + 1)) lines++;
  if (lines !== b.row_count)
    report("history block", places.historyBlock(b.first_row, b.row_count), `holds ${lines} rows`);
}

/** The step of each row of a checked block. */
export function blockSteps(b: PgHistoryBlockRow): Float64Array {
  const steps = new Float64Array(b.row_count);
  for (let i = 0; i < steps.length; i++) steps[i] = b.steps.readDoubleBE(i * 8);
  return steps;
}

/** The history blocks one batch writes, recorded while the ingest core decides, then sent. */
export class PgBlockWrites {
  private readonly firsts: number[] = [];
  private readonly counts: number[] = [];
  private readonly mins: number[] = [];
  private readonly maxes: number[] = [];
  private readonly packedFlags: boolean[] = [];
  private readonly bodyStarts: number[] = [];
  private readonly bodyLengths: number[] = [];
  private readonly steps: Buffer[] = [];
  private readonly bodies: Uint8Array[] = [];
  private readonly sums: Buffer[] = [];
  private bodyBytes = 0;

  get empty(): boolean {
    return this.firsts.length === 0;
  }

  /** Rows as text, newline-joined, a block at a time. */
  textRows(): HistoryRowWrites {
    const block = new HistoryBlock();
    let first = -1;
    const write = (): void => this.add(first, block, Buffer.from(block.texts.join("\n")), false);
    return {
      row: (index, step, text) => {
        if (block.rows === 0) first = index;
        if (block.add(step, text)) write();
      },
      packedRow: () => {
        throw new Error("a packed row in a text history batch");
      },
      end: () => {
        if (block.rows > 0) write();
      },
    };
  }

  /** Packed rows, kept packed (a block = the batch's key table + its rows). */
  packedRows(packed: PackedRows): HistoryRowWrites {
    const block = new HistoryBlock();
    let firstRow = -1;
    let first = -1;
    let bytes = 0;
    let lastRow = -1;
    const write = (): void => {
      this.add(first, block, packedBlock(packed, firstRow, lastRow + 1), true);
      bytes = 0;
    };
    return {
      row: () => {
        throw new Error("a text row in a packed history batch");
      },
      packedRow: (i, index, step) => {
        if (block.rows === 0) {
          firstRow = i;
          first = index;
        }
        lastRow = i;
        block.steps[block.rows++] = step;
        bytes += (packed.rowEnds[i] as number) - (packed.rowStarts[i] as number);
        if (block.rows === HistoryBlock.MAX_ROWS || bytes >= HistoryBlock.MAX_CHARS) write();
      },
      end: () => {
        if (block.rows > 0) write();
      },
    };
  }

  private add(first: number, block: HistoryBlock, body: Uint8Array, packed: boolean): void {
    const steps = Buffer.allocUnsafe(block.rows * 8);
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < block.rows; i++) {
      const step = block.steps[i] as number;
      steps.writeDoubleBE(step, i * 8);
      if (step < min) min = step;
      if (step > max) max = step;
    }
    this.firsts.push(first);
    this.counts.push(block.rows);
    this.mins.push(min);
    this.maxes.push(max);
    this.packedFlags.push(packed);
    this.bodyStarts.push(this.bodyBytes + 1);
    this.bodyLengths.push(body.length);
    this.bodyBytes += body.length;
    this.steps.push(steps);
    this.bodies.push(body);
    this.sums.push(blockSum(first, block.rows, min, max, packed, steps, body));
    block.reset();
  }

  send(client: pg.PoolClient, pk: number): Promise<unknown> {
    return client.query(
      `INSERT INTO history_blocks (run_pk, first_row, row_count, min_step, max_step, steps, body, packed, sum)
       SELECT $1, b.f, b.c, b.lo, b.hi, substring($7::bytea FROM b.s FOR b.c * 8),
         substring($8::bytea FROM b.bs FOR b.bl), b.p, substring($9::bytea FROM b.o::integer * ${SUM_BYTES} - ${SUM_BYTES - 1} FOR ${SUM_BYTES})
       FROM unnest($2::bigint[], $3::integer[], $4::float8[], $5::float8[], $6::boolean[], $10::integer[], $11::integer[], $12::integer[])
         WITH ORDINALITY AS b(f, c, lo, hi, p, s, bs, bl, o)`,
      [
        pk,
        this.firsts,
        this.counts,
        this.mins,
        this.maxes,
        this.packedFlags,
        Buffer.concat(this.steps),
        Buffer.concat(this.bodies),
        Buffer.concat(this.sums),
        this.stepStarts(),
        this.bodyStarts,
        this.bodyLengths,
      ],
    );
  }

  private stepStarts(): number[] {
    const starts: number[] = [];
    let at = 1;
    for (const count of this.counts) {
      starts.push(at);
      at += count * 8;
    }
    return starts;
  }
}
