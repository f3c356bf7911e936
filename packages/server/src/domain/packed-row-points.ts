/**
 * The packed-row counterpart of history-row.ts: the step of a packed row and its numeric leaves
 * as series points, read straight from the packed bytes (no row object, no text). A number
 * stored under key `k` is the point of series `k` (dots escaped, as for a parsed row); a JSON
 * value is parsed and split like a parsed row's value, so both forms give the same series.
 */
import { appendDottedSegment, forEachPackedEntry, parseExtended, type PackedRows } from "@stepwise/protocol";
import { splitHistoryRow, type PointSink } from "./history-row.js";

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

  /** The row's points, held until its step is known (`_step` may come after them). */
  private readonly pendingKeys: string[] = [];
  private readonly pendingValues: number[] = [];
  private readonly hold = (key: string, value: number): void => {
    this.pendingKeys.push(key);
    this.pendingValues.push(value);
  };

  /**
   * Returns row `r`'s step by rowStep's rule (its `_step` if a non-negative safe integer, else
   * previous + 1), then calls `sink` for every numeric leaf of the row but `_step`; `onStep`
   * runs in between, so the caller can set the x of the points.
   */
  split(r: number, previousStep: number | null, onStep: (step: number) => void, sink: PointSink): number {
    let found = -1;
    forEachPackedEntry(this.rows, r, (id, value, json) => {
      if (id === this.stepKeyId) {
        if (value !== null && Number.isSafeInteger(value) && value >= 0) found = value;
      } else if (value !== null) this.hold(this.seriesNames.get(id) as string, value);
      else if (json !== null)
        splitHistoryRow({ [this.rows.keys.get(id) as string]: parseExtended(json) }, this.hold);
    });
    const step = found >= 0 ? found : previousStep === null ? 0 : previousStep + 1;
    onStep(step);
    for (let i = 0; i < this.pendingKeys.length; i++)
      sink(this.pendingKeys[i] as string, this.pendingValues[i] as number);
    this.pendingKeys.length = 0;
    this.pendingValues.length = 0;
    return step;
  }
}
