/**
 * The packed-row counterpart of history-row.ts: the step of a packed row and its numeric leaves
 * as series points, read straight from the packed bytes (no row object, no text). A number
 * stored under key `k` is the point of series `k` (dots escaped, as for a parsed row); a JSON
 * value is parsed and split like a parsed row's value, so both forms give the same series.
 */
import {
  appendDottedSegment,
  forEachPackedEntry,
  parseExtended,
  TAG_NUMBER,
  type PackedRows,
} from "@stepwise/protocol";
import { splitHistoryRow, type PointSink, type RichValueSink } from "./history-row.js";

export class PackedRowPoints {
  /** Series name by key id (the key with its dots escaped). */
  private readonly seriesNames = new Map<number, string>();
  private stepKeyId: number | null = null;

  constructor(private readonly rows: PackedRows) {
    for (const [id, key] of rows.keys) {
      this.seriesNames.set(id, appendDottedSegment("", key));
      if (key === "_step") this.stepKeyId = id;
    }
  }

  /**
   * Returns row `r`'s step by rowStep's rule (its `_step` if a non-negative safe integer, else
   * previous + 1), then calls `sink` for every numeric leaf of the row but `_step`; `onStep`
   * runs in between, so the caller can set the x of the points. Two passes over the row's
   * bytes: `_step` is usually logged last, and re-reading ids is cheaper than holding points.
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
    forEachPackedEntry(this.rows, r, (id, value, json) => {
      if (id === this.stepKeyId) return;
      if (value !== null) sink(this.seriesNames.get(id) as string, value);
      else if (json !== null)
        splitHistoryRow({ [this.rows.keys.get(id) as string]: parseExtended(json) }, sink, undefined, rich);
    });
    return step;
  }
}
