/**
 * Rich values hook: the extension point of the ingest path for history values that are not
 * numbers. While a batch's new rows are split into series points, every other leaf (string,
 * boolean, array, `_type` object: media, histogram, table, …) is collected with its row's step
 * and index; after the rows are stored, each extension receives them inside the batch's
 * transaction, so what it writes is committed or rolled back with the rows. A re-sent row is
 * never collected (the batch skips it), so an extension sees each stored row once.
 *
 * Extensions: key kinds (key-kind-records.ts), the media index (media-records.ts). To add one,
 * implement RichValueExtension and append it to the list SqliteStore gives BatchApplier.
 */
import type { RichValueSink } from "../../domain/history-row.js";

export interface RichValue {
  /** Dotted path, as a series is named (`val.sample`, a literal dot written `\.`). */
  readonly key: string;
  readonly step: number;
  /** The row's index in the run's history (stable: re-sent rows keep theirs). */
  readonly rowIndex: number;
  readonly value: unknown;
}

export interface RichValueExtension {
  /** Called once per batch that stored at least one rich value, in row order. */
  apply(runPk: number, values: readonly RichValue[]): void;
  /** Removes what it derived for the run, so a rebuild (rich-value-rebuild.ts) starts from nothing; an extension whose writes are idempotent may leave it out. */
  clearRun?(runPk: number): void;
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

  /** Hands the values to every extension (nothing when the batch had none). */
  flush(runPk: number, extensions: readonly RichValueExtension[]): void {
    if (this.values.length === 0) return;
    for (const extension of extensions) extension.apply(runPk, this.values);
  }
}
