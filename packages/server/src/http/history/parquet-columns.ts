/**
 * The two passes of the Parquet export over the history's NDJSON pages (the stored bytes). The
 * first finds each column's type (all numbers → DOUBLE, with NaN and ±Infinity kept; all booleans
 * → BOOLEAN; anything else → STRING, objects as extended JSON) from each flat row's value tokens;
 * the second fills one row group's columns at a time: DOUBLE columns as Float64Arrays (a number
 * token read straight from the bytes), no object per row. Rows that are not flat are parsed.
 */
import { encodeNumber, parseExtended, stringifyExtended } from "@stepwise/protocol";
import type { BasicType } from "hyparquet-writer";
import { HistoryColumnSet, type KeptHistoryColumns, type Kind } from "../../store/history-columns.js";
import { forEachLeaf } from "./flat-row.js";
import {
  asBuffer,
  FlatRowBytes,
  LOWER_N,
  LOWER_T,
  NEWLINE,
  numberOfToken,
  QUOTE,
  RowText,
} from "./flat-row-bytes.js";

export type { Kind };

/** Each column's kind in first-seen order (store/history-columns.ts), and the rows the first pass saw. */
export async function columnKinds(
  scan: () => AsyncIterable<Uint8Array>,
): Promise<{ kinds: Map<string, Kind>; rowCount: number }> {
  const set = new HistoryColumnSet();
  let rowCount = 0;
  for await (const bytes of scan()) {
    const page = asBuffer(bytes);
    for (
      let start = 0, end = page.indexOf(NEWLINE);
      end >= 0;
      start = end + 1, end = page.indexOf(NEWLINE, start)
    ) {
      rowCount++;
      set.row(page, start, end);
    }
  }
  return { kinds: set.result(), rowCount };
}

/** What a first pass found, as a store keeps it (not dense: the first pass does not look). */
export function foundColumns(kinds: Map<string, Kind>, rowCount: number): KeptHistoryColumns {
  return { columns: { names: [...kinds.keys()], kinds: [...kinds.values()], dense: false }, rowCount };
}

/** One row group's column values: a DOUBLE column's as a Float64Array when it has no null. */
export type GroupColumn = Float64Array | unknown[];

/**
 * The rows of the second pass in row groups of `groupRows` (the last one shorter), each as one
 * array per column of `names`. Stops at `rowCount` rows: rows logged after the first pass would
 * bring columns the schema does not have.
 */
export async function* rowGroups(
  scan: () => AsyncIterable<Uint8Array>,
  names: string[],
  kinds: Map<string, Kind>,
  rowCount: number,
  groupRows: number,
): AsyncGenerator<GroupColumn[]> {
  const width = names.length;
  const place = new Map(names.map((name, i) => [name, i]));
  const types = names.map((name) => typeOf(kinds.get(name)));
  const flat = new FlatRowBytes();
  const text = new RowText();
  const member = new Array<number>(width).fill(-1);
  let placesValid = false;
  // One group's arrays, used again for every group (the writer copies what it is given).
  const group = new Group(types, Math.min(groupRows, rowCount));
  let r = 0;
  let emitted = 0;
  const fill = (name: string, value: unknown): void => {
    const c = place.get(name) as number;
    group.set(
      c,
      r,
      kinds.get(name) === "other" && typeof value !== "string" ? stringifyExtended(value) : value,
    );
  };
  for await (const bytes of scan()) {
    const page = asBuffer(bytes);
    for (
      let start = 0, end = page.indexOf(NEWLINE);
      end >= 0;
      start = end + 1, end = page.indexOf(NEWLINE, start)
    ) {
      if (emitted === rowCount) break;
      if (flat.read(page, start, end)) {
        text.of(page, start, end);
        if (!placesValid || !flat.sameNames) {
          member.fill(-1);
          for (let i = 0; i < flat.count; i++) member[place.get(flat.names[i] as string) as number] = i;
          placesValid = true;
        }
        for (let c = 0; c < width; c++) {
          const i = member[c] as number;
          if (i < 0) group.setNull(c, r);
          else group.setToken(c, r, page, text, flat.starts[i] as number, flat.ends[i] as number);
        }
      } else {
        placesValid = false;
        for (let c = 0; c < width; c++) group.setNull(c, r);
        forEachLeaf(parseExtended(page.toString("utf8", start, end)), fill);
      }
      emitted++;
      if (++r === group.rows) {
        yield group.columns();
        group.reset(Math.min(groupRows, rowCount - emitted));
        r = 0;
      }
    }
    if (emitted === rowCount) return;
  }
  if (r > 0) yield group.columns(r); // fewer rows than the first pass saw
}

/** The values of one row group, column by column. */
class Group {
  private readonly doubles: Array<Float64Array | null>;
  private readonly nulls: Array<Uint8Array | null>;
  private readonly values: Array<unknown[] | null>;

  constructor(
    private readonly types: BasicType[],
    public rows: number,
  ) {
    this.doubles = types.map((type) => (type === "DOUBLE" ? new Float64Array(rows) : null));
    this.nulls = types.map((type) => (type === "DOUBLE" ? new Uint8Array(rows) : null));
    this.values = types.map((type) => (type === "DOUBLE" ? null : new Array<unknown>(rows).fill(null)));
  }

  /** Empties the arrays for the next group, of `rows` rows (no more than the first). */
  reset(rows: number): void {
    this.rows = rows;
    for (const nulls of this.nulls) nulls?.fill(0);
    for (const values of this.values) values?.fill(null);
  }

  setNull(c: number, r: number): void {
    const nulls = this.nulls[c];
    if (nulls === null || nulls === undefined) (this.values[c] as unknown[])[r] = null;
    else nulls[r] = 1;
  }

  /** A value of a parsed row (a DOUBLE column's is a number or null). */
  set(c: number, r: number, value: unknown): void {
    const doubles = this.doubles[c];
    if (doubles === null || doubles === undefined) (this.values[c] as unknown[])[r] = value;
    else if (typeof value === "number") {
      doubles[r] = value;
      this.clearNull(c, r);
    }
  }

  /** A flat member's value token, as the parsed value would be written. */
  setToken(c: number, r: number, page: Buffer, text: RowText, start: number, end: number): void {
    const first = page[start] as number;
    const doubles = this.doubles[c];
    if (doubles !== null && doubles !== undefined) {
      if (first === LOWER_N) this.setNull(c, r);
      else {
        doubles[r] = numberOfToken(page, start, end, text);
        this.clearNull(c, r);
      }
      return;
    }
    const values = this.values[c] as unknown[];
    if (this.types[c] === "BOOLEAN") values[r] = first === LOWER_N ? null : first === LOWER_T;
    else if (first === QUOTE) values[r] = page.toString("utf8", start + 1, end - 1);
    // A STRING column's number, boolean or null: its extended JSON, as stringifyExtended writes it.
    else if (first === LOWER_N || first > 57) values[r] = page.toString("latin1", start, end);
    else values[r] = encodeNumber(numberOfToken(page, start, end, text));
  }

  private clearNull(c: number, r: number): void {
    (this.nulls[c] as Uint8Array)[r] = 0;
  }

  /** The columns of the first `rows` rows (all of them unless the scan ended early). */
  columns(rows = this.rows): GroupColumn[] {
    return this.types.map((_, c) => {
      const doubles = this.doubles[c];
      if (doubles === null || doubles === undefined) return (this.values[c] as unknown[]).slice(0, rows);
      const nulls = this.nulls[c] as Uint8Array;
      if (nulls.subarray(0, rows).indexOf(1) < 0) return doubles.subarray(0, rows);
      return Array.from(doubles.subarray(0, rows), (value, r) => (nulls[r] === 1 ? null : value));
    });
  }
}

export function typeOf(kind: Kind | undefined): BasicType {
  if (kind === "boolean") return "BOOLEAN";
  if (kind === "other") return "STRING";
  return "DOUBLE";
}
