/** The SQLite side of `Store.structured` (structured-store.ts): thin reads over the records. */
import type Database from "better-sqlite3";
import type { PresetPutBody, RunRef } from "@stepwise/protocol";
import type {
  HistogramKeyInfo,
  StoredHistogram,
  StoredPreset,
  StructuredStore,
  TableVersionRecord,
} from "../structured-store.js";
import { HistogramRecords } from "./histogram-records.js";
import { PresetRecords } from "./preset-records.js";
import type { RichValueExtension } from "./rich-value-hook.js";
import { SeriesSource } from "./series-source.js";
import { settle } from "./settle.js";
import { TableVersionRecords } from "./table-version-records.js";

export class SqliteStructuredStore implements StructuredStore {
  private readonly histograms: HistogramRecords;
  private readonly tables: TableVersionRecords;
  private readonly presets: PresetRecords;
  private readonly series: SeriesSource;

  constructor(db: Database.Database) {
    this.histograms = new HistogramRecords(db);
    this.tables = new TableVersionRecords(db);
    this.presets = new PresetRecords(db);
    this.series = new SeriesSource(db);
  }

  /** The rich values extensions that fill the histograms and table versions at ingest. */
  get extensions(): RichValueExtension[] {
    return [this.histograms, this.tables];
  }

  listHistogramKeys(ref: RunRef): Promise<HistogramKeyInfo[] | null> {
    return settle(() => this.withRun(ref, (pk) => this.histograms.listKeys(pk)));
  }
  readHistograms(
    ref: RunRef,
    key: string,
    minStep: number,
    maxStep: number,
  ): Promise<StoredHistogram[] | null> {
    return settle(() => this.withRun(ref, (pk) => this.histograms.read(pk, key, minStep, maxStep)));
  }
  readSeriesPoints(ref: RunRef, key: string): Promise<{ steps: Float64Array; values: Float64Array } | null> {
    return settle(() => {
      const run = this.series.runOf(ref);
      const series = run === null ? null : this.series.find(run.pk, key);
      if (series === null) return null;
      const { xs, ys } = this.series.all(series);
      return { steps: xs, values: ys };
    });
  }
  listTableVersions(ref: RunRef, key?: string): Promise<TableVersionRecord[] | null> {
    return settle(() =>
      this.withRun(ref, (pk) => (key === undefined ? this.tables.list(pk) : this.tables.versions(pk, key))),
    );
  }
  putPreset(id: string, body: PresetPutBody, now: number): Promise<StoredPreset> {
    return settle(() => this.presets.put(id, body, now));
  }
  getPreset(id: string): Promise<StoredPreset | null> {
    return settle(() => this.presets.get(id));
  }
  listPresets(): Promise<StoredPreset[]> {
    return settle(() => this.presets.list());
  }
  deletePreset(id: string): Promise<boolean> {
    return settle(() => this.presets.delete(id));
  }

  private withRun<T>(ref: RunRef, read: (pk: number) => T): T | null {
    const run = this.series.runOf(ref);
    return run === null ? null : read(run.pk);
  }
}
