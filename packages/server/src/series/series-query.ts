/**
 * `querySeries`: for each run × key, the points in the x range merged into at most `buckets`
 * buckets (domain/series-buckets.ts), exact when the range holds no more points than that.
 *
 * - x = `_step` on a sorted series (the normal case): the range becomes positions by binary
 *   search, the coarsest rollup level that still gives each bucket a whole unit covers the
 *   middle and finer levels the edges (domain/series-levels.ts): about buckets…4·buckets units
 *   are read, whatever the series length.
 * - x = another key whose values only grow (`_runtime`, `_timestamp`, a token count) and that
 *   was logged in every row, as was the y key: the same path, with the range found by binary
 *   search on the x key's values and each bucket's x read from the x key's units.
 * - otherwise (x = any other key, or steps that went backwards): both series are read whole and
 *   joined on step, O(points of both), exact. Points without a finite x are left out.
 *
 * Storage-independent: it reads through SeriesSourcePort (series-port.ts), which each store implements.
 */
import { InvalidDataError } from "@stepwise/protocol";
import type { SeriesQuery, SeriesResult } from "../store/store.js";
import { SeriesBuckets, type BucketColumns } from "../domain/series-buckets.js";
import { chooseLevel, coverRange } from "../domain/series-levels.js";
import { FIRST, STATS_STRIDE } from "../domain/series-stats.js";
import { forEachPiece, readAll } from "./series-pieces.js";
import type { SeriesInfo, SeriesSourcePort } from "./series-port.js";

export const MAX_BUCKETS = 10_000;

interface Range {
  xMin: number;
  xMax: number;
  budget: number;
}

export async function querySeries(source: SeriesSourcePort, query: SeriesQuery): Promise<SeriesResult[]> {
  const budget = query.buckets;
  if (!Number.isInteger(budget) || budget < 1 || budget > MAX_BUCKETS) {
    throw new InvalidDataError(
      `buckets: ${budget} is not an integer from 1 to ${MAX_BUCKETS}; ask for fewer points`,
    );
  }
  const range: Range = { xMin: query.xMin ?? -Infinity, xMax: query.xMax ?? Infinity, budget };
  const out: SeriesResult[] = [];
  for (const ref of query.runs) {
    const run = await source.runOf(ref);
    const xSeries = run === null || query.xAxis === "_step" ? null : await source.find(run.pk, query.xAxis);
    for (const key of query.keys) {
      const series = run === null ? null : await source.find(run.pk, key);
      // A damaged chunk or rollup met here fails the query with STORE_CORRUPT naming the run.
      const columns = await source.guarded(
        ref,
        async (): Promise<{ count: number; columns: BucketColumns }> => {
          if (!series || series.count === 0 || (query.xAxis !== "_step" && !xSeries)) {
            return { count: 0, columns: new SeriesBuckets(0, 1, budget).finish() };
          } else if (query.xAxis === "_step") {
            return series.sorted
              ? byStep(source, series, range)
              : byScan(await readAll(source, series), range);
          } else if (
            xSeries &&
            series.sorted &&
            xSeries.sorted &&
            xSeries.rising &&
            series.count === xSeries.count &&
            series.count === run?.historyRows
          ) {
            return byRisingKey(source, series, xSeries, range);
          }
          return byJoin(source, series, xSeries as SeriesInfo, range);
        },
      );
      out.push({ run: ref, key, exact: columns.count <= budget, count: columns.count, ...columns.columns });
    }
  }
  return out;
}

type Counted = Promise<{ count: number; columns: BucketColumns }>;

async function byStep(source: SeriesSourcePort, series: SeriesInfo, range: Range): Counted {
  const p0 = range.xMin === -Infinity ? 0 : await source.position(series, range.xMin, false);
  const p1 = range.xMax === Infinity ? series.count : await source.position(series, range.xMax, true);
  return byPosition(source, series, p0, p1, range.budget, null);
}

/** x = a key logged with y in every row, whose values only grow: positions are shared. */
async function byRisingKey(
  source: SeriesSourcePort,
  series: SeriesInfo,
  xSeries: SeriesInfo,
  range: Range,
): Counted {
  const p0 = range.xMin === -Infinity ? 0 : await source.valuePosition(xSeries, range.xMin, false);
  const p1 = range.xMax === Infinity ? xSeries.count : await source.valuePosition(xSeries, range.xMax, true);
  return byPosition(source, series, p0, p1, range.budget, xSeries);
}

/** Buckets positions [p0, p1) from the series' levels; each piece's x from `xSeries` when given. */
async function byPosition(
  source: SeriesSourcePort,
  series: SeriesInfo,
  p0: number,
  p1: number,
  budget: number,
  xSeries: SeriesInfo | null,
): Counted {
  const count = Math.max(0, p1 - p0);
  const buckets = new SeriesBuckets(p0, Math.max(count, 1), budget);
  if (count === 0) return { count, columns: buckets.finish() };
  const spans = coverRange(p0, p1, chooseLevel(count, budget, series.count), series.count);
  // The x-axis series has the same positions, so the same spans give each piece's first x.
  const xs: number[] = [];
  if (xSeries) {
    await forEachPiece(source, xSeries, spans, {
      point: (_pos, _x, value) => xs.push(value),
      unit: (_pos, _n, units, unit) => xs.push(units[unit * STATS_STRIDE + FIRST] as number),
    });
  }
  let piece = 0;
  await forEachPiece(source, series, spans, {
    point: (pos, x, y) => buckets.addPoint(pos, xSeries ? (xs[piece++] as number) : x, y),
    unit: (pos, n, units, unit) => buckets.addUnit(pos, n, units, unit, xSeries ? xs[piece++] : undefined),
  });
  return { count, columns: buckets.finish() };
}

/** Every point, filtered by x, each its own piece. */
function byScan(points: { xs: Float64Array; ys: Float64Array }, range: Range) {
  const keep: number[] = [];
  for (let i = 0; i < points.xs.length; i++) {
    const x = points.xs[i] as number;
    if (x >= range.xMin && x <= range.xMax) keep.push(i);
  }
  const buckets = new SeriesBuckets(0, Math.max(keep.length, 1), range.budget);
  for (let k = 0; k < keep.length; k++) {
    const i = keep[k] as number;
    buckets.addPoint(k, points.xs[i] as number, points.ys[i] as number);
  }
  return { count: keep.length, columns: buckets.finish() };
}

/** Joins the y series with the x series on step; a y point without a finite x at its step is left out. */
async function byJoin(
  source: SeriesSourcePort,
  series: SeriesInfo,
  xSeries: SeriesInfo,
  range: Range,
): Counted {
  const ys = await readAll(source, series);
  const xs = await readAll(source, xSeries);
  const joined = { xs: new Float64Array(ys.xs.length), ys: new Float64Array(ys.xs.length) };
  let n = 0;
  const keep = (x: number | undefined, i: number): void => {
    if (x === undefined || !Number.isFinite(x)) return;
    joined.xs[n] = x;
    joined.ys[n] = ys.ys[i] as number;
    n++;
  };
  if (series.sorted && xSeries.sorted) {
    // Both in step order (the normal case): a merge join, no hash map.
    let j = 0;
    for (let i = 0; i < ys.xs.length; i++) {
      const step = ys.xs[i] as number;
      while (j < xs.xs.length && (xs.xs[j] as number) < step) j++;
      keep(xs.xs[j] === step ? xs.ys[j] : undefined, i);
    }
  } else {
    const xAtStep = new Map<number, number>();
    for (let j = 0; j < xs.xs.length; j++) {
      if (!xAtStep.has(xs.xs[j] as number)) xAtStep.set(xs.xs[j] as number, xs.ys[j] as number);
    }
    for (let i = 0; i < ys.xs.length; i++) keep(xAtStep.get(ys.xs[i] as number), i);
  }
  return byScan({ xs: joined.xs.subarray(0, n), ys: joined.ys.subarray(0, n) }, range);
}
