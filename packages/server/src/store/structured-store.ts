/**
 * The structured values' part of the storage contract (`Store.structured`): histograms by
 * (run, key, step), the versions of table keys, user chart presets. Async like the Store, so
 * that network-backed stores fit. An unknown run answers null where a run is named.
 */
import type { PresetPutBody, RunRef } from "@stepwise/protocol";

export interface StoredHistogram {
  step: number;
  edges: Float64Array;
  counts: Float64Array;
}

export interface HistogramKeyInfo {
  key: string;
  count: number;
  firstStep: number;
  lastStep: number;
}

/** A `table-file` history value: the table logged under `key` at `step` is the run file `path`. */
export interface TableVersionRecord {
  key: string;
  step: number;
  path: string;
  sha256: string | null;
  rows: number | null;
  columns: number | null;
}

export interface StoredPreset {
  id: string;
  body: PresetPutBody;
  /** Unix seconds. */
  createdAt: number;
  updatedAt: number;
}

export interface StructuredStore {
  listHistogramKeys(ref: RunRef): Promise<HistogramKeyInfo[] | null>;
  /** The key's histograms with minStep ≤ step ≤ maxStep, in step order; null for an unknown run. */
  readHistograms(
    ref: RunRef,
    key: string,
    minStep: number,
    maxStep: number,
  ): Promise<StoredHistogram[] | null>;
  /** Every point of a numeric series as (step, value) pairs in logged order; null when the run or key has none. */
  readSeriesPoints(ref: RunRef, key: string): Promise<{ steps: Float64Array; values: Float64Array } | null>;
  /** The run's table versions (of one key, or all), by key then step; null for an unknown run. */
  listTableVersions(ref: RunRef, key?: string): Promise<TableVersionRecord[] | null>;
  putPreset(id: string, body: PresetPutBody, now: number): Promise<StoredPreset>;
  getPreset(id: string): Promise<StoredPreset | null>;
  listPresets(): Promise<StoredPreset[]>;
  /** Whether a preset was removed. */
  deletePreset(id: string): Promise<boolean>;
}
