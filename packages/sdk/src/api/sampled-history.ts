/**
 * Turns `/series` answers (one column-wise series per key) into W&B-style history rows:
 * `{ [xAxis]: x, key1: v1, key2: v2 }`, one row per distinct x, in x order. A bucket becomes its
 * `last` value at the bucket's x (the x of its first point): the value is one that was logged,
 * never an average, and a line through the rows ends where the series ends. When a series is
 * exact every bucket is one point, so x and value are that point's. Non-finite values arrive as
 * null from the series endpoint and stay null here.
 */
import type { SeriesResultDto } from "@stepwise/protocol";
import { joinSeriesKey } from "./series-key.js";

export type HistoryRowValues = Record<string, unknown>;

export function rowsFromSeries(series: readonly SeriesResultDto[], xAxis: string): HistoryRowValues[] {
  const byX = new Map<number, HistoryRowValues>();
  for (const one of series) {
    for (let i = 0; i < one.x.length; i++) {
      const x = one.x[i];
      if (x === undefined) continue;
      let row = byX.get(x);
      if (row === undefined) {
        row = { [xAxis]: x };
        byX.set(x, row);
      }
      row[one.key] = one.last[i] ?? null;
    }
  }
  return [...byX.keys()].sort((a, b) => a - b).map((x) => byX.get(x) as HistoryRowValues);
}

/**
 * The keys `history()` charts by default: the summary's numeric leaves (nested objects as
 * series names, `train.loss`), without the `_`-prefixed bookkeeping keys, as W&B's
 * `history()` does. Objects with a `_type` (media, histograms) are values, not namespaces.
 */
export function numericSummaryKeys(summary: Record<string, unknown>, path: readonly string[] = []): string[] {
  const keys: string[] = [];
  for (const [key, value] of Object.entries(summary)) {
    if (path.length === 0 && key.startsWith("_")) continue;
    if (typeof value === "number") keys.push(joinSeriesKey([...path, key]));
    else if (typeof value === "object" && value !== null && !Array.isArray(value) && !("_type" in value))
      keys.push(...numericSummaryKeys(value as Record<string, unknown>, [...path, key]));
  }
  return keys;
}
