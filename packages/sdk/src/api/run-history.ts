/**
 * A server run's history for reading and charting: `history()`'s sampled rows (from the series
 * endpoint, or exact rows for a short run) and the server's own renderings as bytes.
 */
import { apiPaths, type RunRef } from "@stepwise/protocol";
import type { ApiHttp } from "./api-http.js";
import { numericSummaryKeys, rowsFromSeries } from "./sampled-history.js";
import { scanHistory, type ScanHistoryOptions } from "./scan-history.js";
import { fetchSeries } from "./series-fetch.js";
import { valueAtSeriesKey } from "./series-key.js";

export interface HistoryOptions {
  /** Keys to return, nested ones as dotted names (`train.loss`). Default: the summary's numeric keys, without `_`-prefixed ones. */
  keys?: readonly string[];
  /** Rows wanted per key (the series' point budget, at most 10,000). Default 500. */
  samples?: number;
  /** The x axis: `_step` (default), `_runtime`, `_timestamp` or a logged numeric key. */
  xAxis?: string;
  /** Inclusive range on the x axis. */
  minStep?: number;
  maxStep?: number;
}

type Rows = Array<Record<string, unknown>>;

/**
 * At most `samples` rows per key, in x order. Each row is one bucket of the series: its last
 * logged value (never an average) at the bucket's x (the x of its first point); keys bucketed
 * at different x share no row. When the run has no more rows than `samples` (and x is `_step`)
 * the rows are exact, read from the stored history: every row holding one of the keys, NaN
 * kept. Non-finite values in sampled rows are null.
 */
export async function sampledHistory(
  http: ApiHttp,
  run: RunRef,
  historyRows: number,
  summary: Record<string, unknown>,
  options: HistoryOptions,
): Promise<Rows> {
  const samples = options.samples ?? 500;
  const xAxis = options.xAxis ?? "_step";
  const keys = options.keys ? [...options.keys] : numericSummaryKeys(summary);
  if (keys.length === 0) return [];
  const range: ScanHistoryOptions = {};
  if (options.minStep !== undefined) range.minStep = options.minStep;
  if (options.maxStep !== undefined) range.maxStep = options.maxStep;
  if (xAxis === "_step" && historyRows <= samples) return exactRows(scanHistory(http, run, range), keys);
  const body = {
    runs: [run],
    keys,
    xAxis,
    buckets: samples,
    ...(range.minStep === undefined ? {} : { xMin: range.minStep }),
    ...(range.maxStep === undefined ? {} : { xMax: range.maxStep }),
  };
  return rowsFromSeries(await fetchSeries(http, body), xAxis);
}

/** The server's rendering of the whole history (`ndjson`, `csv` or `parquet`), as byte chunks as they arrive. */
export async function* historyBytes(
  http: ApiHttp,
  run: RunRef,
  format: "ndjson" | "csv" | "parquet",
  options: Omit<ScanHistoryOptions, "pageSize">,
): AsyncGenerator<Uint8Array> {
  const query = {
    format,
    keys: options.keys && options.keys.length > 0 ? options.keys : undefined,
    minStep: options.minStep,
    maxStep: options.maxStep,
  };
  yield* await http.stream(apiPaths.history(run), { query });
}

/** `{ _step, ...keys }` of each row that holds at least one of the keys. */
async function exactRows(
  rows: AsyncIterable<Record<string, unknown>>,
  keys: readonly string[],
): Promise<Rows> {
  const out: Rows = [];
  for await (const row of rows) {
    const picked: Record<string, unknown> = { _step: row["_step"] };
    let found = false;
    for (const key of keys) {
      const value = valueAtSeriesKey(row, key);
      if (value === undefined) continue;
      picked[key] = value;
      found = true;
    }
    if (found) out.push(picked);
  }
  return out;
}
