/**
 * Rich values: while a batch's new rows are split into series points, every other leaf
 * (string, boolean, array, `_type` object: media, histogram, table, …) is collected with its
 * row's step and index, and handed to the store with the batch's other writes (ingest-port.ts
 * `richValues`), so what the store derives from them is committed or rolled back with the rows.
 * A re-sent row is never collected (the batch skips it): each stored row is seen once.
 */
import type { RichValueSink } from "../domain/history-row.js";

export interface RichValue {
  /** Dotted path, as a series is named (`val.sample`, a literal dot written `\.`). */
  readonly key: string;
  readonly step: number;
  /** The row's index in the run's history (stable: re-sent rows keep theirs). */
  readonly rowIndex: number;
  readonly value: unknown;
}

/** Collects a batch's rich values; `at` sets the row the next values belong to. */
export class RichValueCollector {
  readonly values: RichValue[] = [];
  private step = 0;
  private rowIndex = 0;
  readonly sink: RichValueSink = (key, value) => {
    this.values.push({ key, step: this.step, rowIndex: this.rowIndex, value });
  };
  readonly setStep = (step: number): void => {
    this.step = step;
  };

  at(step: number, rowIndex: number): void {
    this.step = step;
    this.rowIndex = rowIndex;
  }

  setRow(rowIndex: number): void {
    this.rowIndex = rowIndex;
  }

  /** Hands the values to every consumer (nothing when the batch had none). */
  flush<K>(key: K, consumers: readonly { apply(key: K, values: readonly RichValue[]): void }[]): void {
    if (this.values.length === 0) return;
    for (const consumer of consumers) consumer.apply(key, this.values);
  }
}
