/**
 * The packed-row counterpart of history-row.ts: the step of a packed row and its numeric leaves
 * as series points, read straight from the packed bytes (no row object, no text). A number
 * stored under key `k` is the point of series `k` (dots escaped, as for a parsed row); a JSON
 * value is parsed and split like a parsed row's value, so both forms give the same series.
 */
import { appendDottedSegment, parseExtended, TAG_NUMBER, type PackedRows } from "@stepwise/protocol";
import { splitHistoryRow, type PointSink, type RichValueSink } from "./history-row.js";

/** One series' points of a batch. */
export interface PointColumn {
  add(x: number, y: number): void;
}

/** Where a batch's points go: a column per series, by series name. */
export interface PointColumns {
  column(series: string): PointColumn;
}

/** JSON values decode like a JSON body read as UTF-8: a malformed sequence becomes U+FFFD. */
const utf8Lenient = new TextDecoder("utf-8");

export class PackedRowPoints {
  /** Series name by key id (the key with its dots escaped). */
  private readonly seriesNames = new Map<number, string>();
  /** The column of each key id that has had a number (log key ids are small: an array). */
  private readonly columns: (PointColumn | undefined)[] = [];
  private readonly wideColumns = new Map<number, PointColumn>();
  private stepKeyId: number | null = null;

  constructor(
    private readonly rows: PackedRows,
    private readonly points: PointColumns,
  ) {
    for (const [id, key] of rows.keys) {
      this.seriesNames.set(id, appendDottedSegment("", key));
      if (key === "_step") this.stepKeyId = id;
    }
  }

  /**
   * Returns row `r`'s step by rowStep's rule (its `_step` if a non-negative safe integer, else
   * previous + 1), then adds every numeric leaf of the row but `_step` to its series' column
   * (x = the step), and hands JSON values' numeric leaves to `sink`; `onStep` runs before
   * either, so the caller can set the x of `sink`'s points. Two passes over the row's bytes:
   * `_step` is usually logged last, and re-reading ids is cheaper than holding points.
   */
  split(
    r: number,
    previousStep: number | null,
    onStep: (step: number) => void,
    sink: PointSink,
    rich?: RichValueSink,
  ): number {
    const { view, bytes } = this.rows;
    const start = this.rows.rowStarts[r] as number;
    const count = view.getUint32(start, true);
    let found = -1;
    let p = start + 4;
    for (let e = 0; e < count; e++) {
      const isNumber = bytes[p + 4] === TAG_NUMBER;
      if (isNumber && view.getUint32(p, true) === this.stepKeyId) {
        const value = view.getFloat64(p + 5, true);
        if (Number.isSafeInteger(value) && value >= 0) found = value;
      }
      p += isNumber ? 13 : 9 + view.getUint32(p + 5, true);
    }
    const step = found >= 0 ? found : previousStep === null ? 0 : previousStep + 1;
    onStep(step);
    p = start + 4;
    for (let e = 0; e < count; e++) {
      const id = view.getUint32(p, true);
      if (bytes[p + 4] === TAG_NUMBER) {
        if (id !== this.stepKeyId)
          (this.columns[id] ?? this.columnOf(id)).add(step, view.getFloat64(p + 5, true));
        p += 13;
      } else {
        const length = view.getUint32(p + 5, true);
        if (id !== this.stepKeyId) {
          const json = utf8Lenient.decode(bytes.subarray(p + 9, p + 9 + length));
          splitHistoryRow({ [this.rows.keys.get(id) as string]: parseExtended(json) }, sink, undefined, rich);
        }
        p += 9 + length;
      }
    }
    return step;
  }

  /** Created at the key's first number, so that series keep the order of their first point. */
  private columnOf(id: number): PointColumn {
    if (id >= 1 << 16) {
      // Ids from 2^31 up (rows packed from objects): by map.
      const wide = this.wideColumns.get(id);
      if (wide !== undefined) return wide;
    }
    const column = this.points.column(this.seriesNames.get(id) as string);
    if (id < 1 << 16) this.columns[id] = column;
    else this.wideColumns.set(id, column);
    return column;
  }
}
