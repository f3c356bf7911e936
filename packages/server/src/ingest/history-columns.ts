/**
 * A run's history columns kept at ingest (store/history-columns.ts), so that its CSV and Parquet
 * exports read the history once. A store that keeps them (RunWrites.historyColumns) hands the
 * run's set as it was before the batch; every new row of the batch is noted into it as the
 * exports read that row's stored text, and the set is saved with the batch when it changed.
 * A run whose history began before its store kept columns has none (null) and gets none: its
 * exports keep the two passes.
 *
 * A packed row whose values are all numbers under plain keys (nearly every row a training loop
 * logs) is noted from its key ids: each key a "number" column, in the row's order, which is the
 * order its text has (no key JavaScript would enumerate first, no `_type`). Any other packed
 * row is formatted as the store formats it for a scan and read as text. While every row of
 * the run is such a row holding every column and a usable `_step`, the set stays dense
 * (HistoryColumns.dense): a Parquet export may then take the columns from the series.
 */
import { formatPackedRow, keyPrefixes, TAG_NUMBER, type PackedRows } from "@stepwise/protocol";
import { HistoryColumnSet } from "../store/history-columns.js";
import type { RunWrites } from "./ingest-port.js";

/**
 * The run's column set to note the batch's rows into, or null when none is kept: the store
 * keeps none, or the run has rows (`firstNew` > 0) stored before its store kept columns.
 */
export function historyColumnsOf(writes: RunWrites, firstNew: number): HistoryColumnSet | null {
  const kept = writes.historyColumns?.();
  if (kept === undefined) return null;
  if (kept !== null) return new HistoryColumnSet(kept);
  if (firstNew > 0) return null;
  const set = new HistoryColumnSet();
  set.markChanged(); // kept from the run's first row on, even with no column yet
  return set;
}

/** Saves the set with the batch when it changed. */
export function saveHistoryColumns(writes: RunWrites, set: HistoryColumnSet | null): void {
  if (set?.changed === true) writes.saveHistoryColumns?.(set.kept());
}

/** Notes a text row (as it is stored). */
export function noteTextRow(set: HistoryColumnSet, text: string): void {
  const bytes = Buffer.from(text, "utf8");
  set.row(bytes, 0, bytes.length);
}

/** Key ids: 1 = a plain key already noted as a number column in this batch, 2 = not plain. */
const NOTED = 1;
const NOT_PLAIN = 2;

/** Notes a batch's packed rows into a set. */
export class PackedColumnNotes {
  private readonly state: number[] = [];
  private readonly wideState = new Map<number, number>();
  private prefixes: Map<number, string> | null = null;
  /** The key id of `_step` in this batch (-1: none), and where the last row held it. */
  private readonly stepId: number = -1;
  private stepAt = 4;
  /** Every key of the batch is noted as a number column (no row can bring a new name). */
  private allNoted = false;
  /** The set's size after the last note. */
  private columns: number;

  constructor(
    private readonly set: HistoryColumnSet,
    private readonly rows: PackedRows,
  ) {
    const keys = new Set<string>();
    for (const [id, key] of rows.keys) {
      keys.add(key);
      if (key === "_step") this.stepId = id;
    }
    // Two ids for one key: a row may hold a name twice (two points of one series at one step).
    if (keys.size !== rows.keys.size) set.notDense();
    this.columns = set.size;
  }

  /** Notes row `r`, the run's row `at`. */
  row(r: number, at: number): void {
    const { view, bytes } = this.rows;
    const start = this.rows.rowStarts[r] as number;
    const count = view.getUint32(start, true);
    // Nearly every row: numbers only, under the batch's keys, all noted before: only the tags
    // are looked at (and, while the set is dense, the count and the step).
    if (this.allNoted) {
      const end = start + 4 + 13 * count;
      let p = start + 4;
      while (p < end && bytes[p + 4] === TAG_NUMBER) p += 13;
      if (p === end) {
        if (this.set.dense) this.checkDense(count, this.stepOf(start, count));
        return;
      }
    }
    this.slowRow(r, at, start, count);
  }

  /** A row with another value or a key not noted yet: numbers under plain keys are noted in order. */
  private slowRow(r: number, at: number, start: number, count: number): void {
    const { view, bytes } = this.rows;
    let p = start + 4;
    let plain = true;
    for (let e = 0; e < count && plain; e++) {
      const id = view.getUint32(p, true);
      if (bytes[p + 4] !== TAG_NUMBER) plain = false;
      else if (this.stateOf(id) === 0) plain = this.setState(id, isPlain(this.keyOf(id)) ? 0 : NOT_PLAIN);
      else plain = this.stateOf(id) !== NOT_PLAIN;
      p += bytes[p + 4] === TAG_NUMBER ? 13 : 9 + view.getUint32(p + 5, true);
    }
    if (!plain) {
      this.prefixes ??= keyPrefixes(this.rows);
      noteTextRow(this.set, formatPackedRow(this.rows, r, this.prefixes));
      this.columns = this.set.size;
      return;
    }
    const size = this.columns;
    p = start + 4;
    for (let e = 0; e < count; e++, p += 13) {
      const id = view.getUint32(p, true);
      if (this.stateOf(id) === NOTED) continue;
      this.set.note(this.keyOf(id), "number");
      this.setState(id, NOTED);
    }
    this.columns = this.set.size;
    this.allNoted = [...this.rows.keys.keys()].every((id) => this.stateOf(id) === NOTED);
    // A column first seen after the run's first row: the rows before lack it.
    if (at > 0 && this.columns !== size) this.set.notDense();
    if (this.set.dense) this.checkDense(count, this.stepOf(start, count));
  }

  /** A row of numbers under noted keys keeps the set dense if it holds every column and a step. */
  private checkDense(count: number, step: number): void {
    const stepOk = this.stepId < 0 ? !this.set.has("_step") : Number.isSafeInteger(step) && step >= 0;
    if (count !== this.columns || !stepOk) this.set.notDense();
  }

  /** The `_step` of a row of `count` numbers (NaN: none), where the row before had it if there. */
  private stepOf(start: number, count: number): number {
    if (this.stepId < 0) return Number.NaN;
    const view = this.rows.view;
    if (this.stepAt < 4 + 13 * count && view.getUint32(start + this.stepAt, true) === this.stepId)
      return view.getFloat64(start + this.stepAt + 5, true);
    for (let p = 4; p < 4 + 13 * count; p += 13)
      if (view.getUint32(start + p, true) === this.stepId) {
        this.stepAt = p;
        return view.getFloat64(start + p + 5, true);
      }
    return Number.NaN;
  }

  private keyOf(id: number): string {
    return this.rows.keys.get(id) as string;
  }

  private stateOf(id: number): number {
    return (id < 1 << 16 ? this.state[id] : this.wideState.get(id)) ?? 0;
  }

  /** Sets a key id's state; true unless it is NOT_PLAIN. */
  private setState(id: number, state: number): boolean {
    if (id < 1 << 16) this.state[id] = state;
    else this.wideState.set(id, state);
    return state !== NOT_PLAIN;
  }
}

/**
 * A key whose number member the exports read as a column of that name, in the row's order:
 * not `_type` (a row holding it is a value, not a namespace: no columns) and not one JavaScript
 * enumerates before the others (an array index).
 */
function isPlain(key: string): boolean {
  return key !== "_type" && !INDEX_LIKE.test(key);
}

const INDEX_LIKE = /^(?:0|[1-9]\d*)$/;
