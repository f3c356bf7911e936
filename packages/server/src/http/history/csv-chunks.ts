/**
 * CSV export over the history's NDJSON pages (the stored bytes), in one pass when the store kept
 * the run's columns at ingest (`kept`: the columns and the rows they cover, read together), else
 * in two: the first collects the columns (a later row may add one), the second writes. The
 * writing pass stops at the rows the columns cover, so a run that logs meanwhile cannot add
 * values without a column. A flat row
 * (nearly all of them) is read from its bytes: each value token is copied into its cell as it is
 * (a number in JavaScript's own spelling, `NaN`, `±Infinity`, `true`/`false`, a string without
 * escapes), with no decoding, parsing or formatting, into one output buffer per page (see
 * flat-row-bytes.ts). Any other row is parsed and its leaves go to their cells.
 */
import { encodeCsvField, encodeNumber, parseExtended, quoteCsvText } from "@stepwise/protocol";
import type { KeptHistoryColumns } from "../../store/history-columns.js";
import { forEachLeaf, orderColumns } from "./flat-row.js";
import {
  asBuffer,
  COMMA,
  FlatRowBytes,
  isPlainNumber,
  LOWER_N,
  MINUS,
  NEWLINE,
  QUOTE,
  UPPER_I,
} from "./flat-row-bytes.js";
import { columnKinds, foundColumns } from "./parquet-columns.js";

/** `found`: told the columns a first pass found (for the store to keep them). */
export async function* csvChunks(
  scan: () => AsyncIterable<Uint8Array>,
  kept: KeptHistoryColumns | null = null,
  found: ((kept: KeptHistoryColumns) => void) | null = null,
): AsyncGenerator<Uint8Array> {
  const { names, rowCount } =
    kept === null ? await firstPass(scan, found) : { names: kept.columns.names, rowCount: kept.rowCount };
  const columns = orderColumns(names);
  yield Buffer.from(columns.map(quoteCsvText).join(",") + "\n");
  yield* rows(scan, columns, rowCount);
}

/** The columns (first-seen order) and rows of the stored history, for a run without kept columns. */
async function firstPass(
  scan: () => AsyncIterable<Uint8Array>,
  found: ((kept: KeptHistoryColumns) => void) | null,
): Promise<{ names: Iterable<string>; rowCount: number }> {
  const { kinds, rowCount } = await columnKinds(scan);
  found?.(foundColumns(kinds, rowCount));
  return { names: kinds.keys(), rowCount };
}

async function* rows(
  scan: () => AsyncIterable<Uint8Array>,
  columns: string[],
  rowCount: number,
): AsyncGenerator<Uint8Array> {
  const place = new Map(columns.map((name, i) => [name, i]));
  const width = columns.length;
  const flat = new FlatRowBytes();
  // The member of the current flat row whose token goes in each column (-1: an empty cell); a
  // row with the same names as the one before (nearly every row) fills the same cells.
  const member = new Array<number>(width).fill(-1);
  let placesValid = false;
  const cells = new Array<string>(width).fill("");
  const fill = (name: string, value: unknown): void => {
    const at = place.get(name);
    if (at !== undefined) cells[at] = encodeCsvField(value);
  };
  let written = 0;
  for await (const bytes of scan()) {
    const page = asBuffer(bytes);
    const out = new Output(page.length + 1024);
    for (
      let start = 0, end = page.indexOf(NEWLINE);
      end >= 0;
      start = end + 1, end = page.indexOf(NEWLINE, start)
    ) {
      if (written === rowCount) break;
      written++;
      if (flat.read(page, start, end)) {
        if (!placesValid || !flat.sameNames) {
          member.fill(-1);
          // A repeated name keeps its last member, as JSON.parse does.
          for (let i = 0; i < flat.count; i++) {
            const at = place.get(flat.names[i] as string);
            if (at !== undefined) member[at] = i;
          }
          placesValid = true;
        }
        // Room for every token, a comma per column, and numbers written again (≤ 24 bytes each).
        out.ensure(end - start + width + 25 * flat.count + 1);
        for (let c = 0; c < width; c++) {
          if (c > 0) out.bytes[out.length++] = COMMA;
          const i = member[c] as number;
          if (i >= 0) writeCell(out, page, flat.starts[i] as number, flat.ends[i] as number);
        }
        out.bytes[out.length++] = NEWLINE;
      } else {
        cells.fill("");
        placesValid = false;
        forEachLeaf(parseExtended(page.toString("utf8", start, end)), fill);
        out.writeText(cells.join(",") + "\n");
      }
    }
    if (out.length > 0) yield out.bytes.subarray(0, out.length);
    if (written === rowCount) return;
  }
}

/** Copies a flat member's token as its CSV cell: what `encodeCsvField` gives for the parsed value. */
function writeCell(out: Output, page: Buffer, start: number, end: number): void {
  const first = page[start];
  if (first === LOWER_N) return; // null: an empty cell
  if (first === QUOTE) {
    // A string without escapes holds no quote or line break: quoted only for a comma.
    const comma = page.indexOf(COMMA, start);
    if (comma >= 0 && comma < end) out.copy(page, start, end);
    else out.copy(page, start + 1, end - 1);
  } else if (
    (first as number) > 57 || // true, false, NaN, Infinity
    (first === MINUS && page[start + 1] === UPPER_I) ||
    isPlainNumber(page, start, end)
  ) {
    out.copy(page, start, end);
  } else out.writeLatin1(encodeNumber(Number(page.toString("latin1", start, end))));
}

/** A growing byte buffer a page's CSV is written into. */
class Output {
  bytes: Buffer;
  length = 0;

  constructor(size: number) {
    this.bytes = Buffer.allocUnsafe(size);
  }

  ensure(room: number): void {
    if (this.length + room <= this.bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.length + room));
    this.bytes.copy(grown, 0, 0, this.length);
    this.bytes = grown;
  }

  /** Copies [start, end) of `from` (a few bytes: a loop is faster than a native call). */
  copy(from: Buffer, start: number, end: number): void {
    const bytes = this.bytes;
    let at = this.length;
    for (let i = start; i < end; i++) bytes[at++] = from[i] as number;
    this.length = at;
  }

  /** Text of ASCII characters only (a number's spelling); room already ensured. */
  writeLatin1(text: string): void {
    this.length += this.bytes.write(text, this.length, "latin1");
  }

  writeText(text: string): void {
    this.ensure(Buffer.byteLength(text));
    this.length += this.bytes.write(text, this.length, "utf8");
  }
}
