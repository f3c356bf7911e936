/**
 * From the server's series (one per run, each with its own x) to what uPlot draws. uPlot's
 * default mode wants one shared x array, so runs are aligned on the union of their x values,
 * with null where a run has no point (drawn with spanGaps). That mode is kept over uPlot's
 * per-series x mode (mode 2) because bands and the cursor index only work in it, and it stays
 * cheap: runs with the same number of points get the same bucket x values from the server, so
 * the union is usually one run's x (50 runs × 1,000 buckets → 1,000 x values); at worst it is
 * runs × buckets values.
 */
import type { SeriesResultDto } from "@stepwise/protocol";
import { smoothValues, type Smoothing } from "./smoothing.js";

type Values = (number | null)[];

/** One run's line in its own x order: what the chart plots and registers for tests. */
export interface RunLine {
  runId: string;
  /** Ascending, each x once. */
  x: number[];
  /** The plotted raw line: each bucket's mean (the point itself when exact). */
  y: Values;
  min: Values;
  max: Values;
  smoothed: Values | null;
  /** One point per bucket: no band needed. */
  exact: boolean;
}

/** Runs aligned on one x array; `min`/`max` are null where the run is exact (no band). */
export interface AlignedLines {
  x: number[];
  lines: Array<{ runId: string; y: Values; min: Values | null; max: Values | null; smoothed: Values | null }>;
}

/**
 * A run's line from its series. x is sorted when the x-axis is not monotonic in log order (any
 * metric as x); buckets that share an x merge into one point: the later bucket's value, the
 * wider band (and the line then counts as downsampled, so the band is drawn).
 */
export function runLine(runId: string, series: SeriesResultDto, smoothing: Smoothing): RunLine {
  const { x, min, max, mean, last } = series;
  const y = new Array<number | null>(x.length);
  for (let i = 0; i < x.length; i++) y[i] = mean[i] ?? last[i] ?? null;
  // The usual case (any monotonic axis): the server's columns are used as they are.
  const line: RunLine = increasing(x)
    ? { runId, x, y, min, max, smoothed: null, exact: series.exact }
    : mergeByX(runId, series, y);
  line.smoothed = smoothValues(line.y, smoothing);
  return line;
}

function mergeByX(runId: string, series: SeriesResultDto, y: Values): RunLine {
  const { x, min, max } = series;
  // sort() is stable: buckets at equal x stay in log order, so "the later bucket" is well defined.
  const order = Array.from(x, (_, i) => i).sort((a, b) => (x[a] as number) - (x[b] as number));
  const line: RunLine = { runId, x: [], y: [], min: [], max: [], smoothed: null, exact: series.exact };
  for (const i of order) {
    const xi = x[i] as number;
    const end = line.x.length - 1;
    if (end >= 0 && line.x[end] === xi) {
      line.exact = false;
      line.y[end] = y[i] ?? null;
      line.min[end] = lower(line.min[end] ?? null, min[i] ?? null);
      line.max[end] = upper(line.max[end] ?? null, max[i] ?? null);
      continue;
    }
    line.x.push(xi);
    line.y.push(y[i] ?? null);
    line.min.push(min[i] ?? null);
    line.max.push(max[i] ?? null);
  }
  return line;
}

/**
 * Aligns runs on the union of their x. On a log scale, values ≤ 0 cannot be drawn and become
 * gaps (uPlot would otherwise fail to range the axis).
 */
export function alignLines(lines: readonly RunLine[], logScale: boolean): AlignedLines {
  const x = unionX(lines);
  const same = lines.every((line) => line.x.length === x.length);
  const clean = logScale ? positiveOnly : (values: Values): Values => values;
  return {
    x,
    lines: lines.map((line) => {
      const place = same
        ? (values: Values): Values => values
        : (values: Values) => scatter(line.x, values, x);
      const band = !line.exact;
      return {
        runId: line.runId,
        y: clean(place(line.y)),
        min: band ? clean(place(line.min)) : null,
        max: band ? clean(place(line.max)) : null,
        smoothed: line.smoothed === null ? null : clean(place(line.smoothed)),
      };
    }),
  };
}

/** The index of the x nearest to `target` in an ascending array; -1 when it is empty. */
export function nearestIndex(x: readonly number[], target: number): number {
  if (x.length === 0) return -1;
  let lo = 0;
  let hi = x.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((x[mid] as number) < target) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && target - (x[lo - 1] as number) <= (x[lo] as number) - target) return lo - 1;
  return lo;
}

function unionX(lines: readonly RunLine[]): number[] {
  const first = lines[0];
  if (first === undefined) return [];
  if (lines.every((line) => line === first || sameArray(line.x, first.x))) return first.x;
  let total = 0;
  for (const line of lines) total += line.x.length;
  const all = new Float64Array(total);
  let at = 0;
  for (const line of lines) {
    all.set(line.x, at);
    at += line.x.length;
  }
  all.sort();
  const out: number[] = [];
  for (let i = 0; i < all.length; i++) {
    const v = all[i] as number;
    if (i === 0 || v !== all[i - 1]) out.push(v);
  }
  return out;
}

/** Values at `from` (ascending, a subset of `to`) placed at their positions in `to`, null elsewhere. */
function scatter(from: readonly number[], values: Values, to: readonly number[]): Values {
  const out = new Array<number | null>(to.length).fill(null);
  let j = 0;
  for (let i = 0; i < from.length; i++) {
    const xi = from[i] as number;
    while ((to[j] as number) < xi) j++;
    out[j] = values[i] ?? null;
  }
  return out;
}

function positiveOnly(values: Values): Values {
  return values.map((v) => (v !== null && v > 0 ? v : null));
}

function increasing(x: readonly number[]): boolean {
  for (let i = 1; i < x.length; i++) if ((x[i] as number) <= (x[i - 1] as number)) return false;
  return true;
}

function sameArray(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function lower(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.min(a, b);
}

function upper(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.max(a, b);
}
