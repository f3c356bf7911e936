/**
 * A dense run's history columns from its series (HistoryColumns.dense: every row a packed row of
 * numbers holding every column, `_step` a usable step): each column but `_step` is its series'
 * values in row order, `_step` their x, so a Parquet export fills its DOUBLE columns from the
 * stored float64 chunks instead of reading every row's text. The values are those the text gives:
 * a stored row writes -0 as `0` and every NaN as `NaN`, so -0 becomes 0 and NaNs the one NaN.
 * Chunks are verified as every series read verifies them; a series missing or short of the rows
 * answers null (the caller reads the rows instead).
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import { appendDottedSegment, type RunRef } from "@stepwise/protocol";
import { CHUNK_POINTS } from "../../domain/series-levels.js";
import type { KeptHistoryColumns } from "../history-columns.js";
import type { SeriesInfo, SeriesSource } from "./series-source.js";
import { guarded } from "./store-corruption.js";

/**
 * Row groups of `groupRows` rows (the last shorter), one Float64Array per name of `names` (the
 * kept columns in export order), or null when the columns cannot come from the series.
 */
export function denseColumnGroups(
  source: SeriesSource,
  ref: RunRef,
  kept: KeptHistoryColumns,
  names: readonly string[],
  groupRows: number,
): AsyncIterable<Float64Array[]> | null {
  const { columns, rowCount } = kept;
  if (!columns.dense || columns.kinds.some((kind) => kind !== "number")) return null;
  const series = guarded(source.database, ref, () => {
    const run = source.runOf(ref);
    if (run === null) return null;
    // A dense run has no nested names: a column is the series of its name as one segment.
    return names.map((name) =>
      name === "_step" ? null : source.find(run.pk, appendDottedSegment("", name)),
    );
  });
  if (series === null) return null;
  const steps = series.find((info) => info !== null);
  if (steps === undefined || steps === null) return null;
  if (series.some((info, c) => names[c] !== "_step" && (info === null || info.count < rowCount))) return null;
  return groups(source, ref, series, steps, rowCount, groupRows);
}

async function* groups(
  source: SeriesSource,
  ref: RunRef,
  series: Array<SeriesInfo | null>,
  steps: SeriesInfo,
  rowCount: number,
  groupRows: number,
): AsyncGenerator<Float64Array[]> {
  for (let from = 0; from < rowCount; from += groupRows) {
    const to = Math.min(rowCount, from + groupRows);
    yield guarded(source.database, ref, () =>
      series.map((info) => values(source, info ?? steps, info === null, from, to)),
    );
    // Let other requests run between groups.
    await nextTurn();
  }
}

/** Positions [from, to) of a series: its values, or its xs. */
function values(source: SeriesSource, info: SeriesInfo, xs: boolean, from: number, to: number): Float64Array {
  const out = new Float64Array(to - from);
  for (const chunk of source.chunks(info, from, to)) {
    const part = xs ? chunk.xs : chunk.ys;
    const start = chunk.index * CHUNK_POINTS;
    const lo = Math.max(from, start);
    const hi = Math.min(to, start + part.length);
    if (hi > lo) out.set(part.subarray(lo - start, hi - start), lo - from);
  }
  for (let i = 0; i < out.length; i++) {
    const value = out[i] as number;
    if (value === 0) out[i] = 0;
    else if (value !== value) out[i] = Number.NaN;
  }
  return out;
}
