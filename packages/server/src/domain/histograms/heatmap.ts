/**
 * A run's histograms of one key as a heatmap: every histogram's counts are spread over one
 * common y grid (even rows from the lowest to the highest edge in range, in proportion to how
 * much of each bin overlaps each row), and when there are more histograms than columns, runs
 * of consecutive histograms (by index, so no column is empty and the same range always gives
 * the same columns) are merged into one column holding the mean of their counts.
 */
import { HISTOGRAM_MAX_LOGGED, type HistogramHeatmap } from "@stepwise/protocol";

export interface PlacedHistogram {
  step: number;
  /** The x-axis value at the step (the step itself for `_step`). */
  x: number;
  edges: Float64Array;
  counts: Float64Array;
}

export type HeatmapBody = Omit<HistogramHeatmap, "run" | "key" | "xAxis">;

/** `histograms` in x order (then step order). */
export function buildHeatmap(
  histograms: readonly PlacedHistogram[],
  columns: number,
  rows: number,
): HeatmapBody {
  const count = histograms.length;
  const exact = count <= columns;
  const width = exact ? count : columns;
  const grid = yGrid(histograms, rows);
  const body: HeatmapBody = {
    exact,
    count,
    yEdges: Array.from(grid),
    x: [],
    xMin: [],
    xMax: [],
    stepMin: [],
    stepMax: [],
    merged: [],
    counts: [],
  };
  for (let c = 0; c < width; c++) {
    const from = Math.floor((c * count) / width);
    const to = Math.floor(((c + 1) * count) / width);
    const sums = new Float64Array(rows);
    let stepMin = Infinity;
    let stepMax = -Infinity;
    for (let i = from; i < to; i++) {
      const h = histograms[i] as PlacedHistogram;
      spread(h.edges, h.counts, grid, sums);
      stepMin = Math.min(stepMin, h.step);
      stepMax = Math.max(stepMax, h.step);
    }
    const merged = to - from;
    const first = histograms[from] as PlacedHistogram;
    const last = histograms[to - 1] as PlacedHistogram;
    body.x.push(first.x);
    body.xMin.push(first.x);
    body.xMax.push(last.x);
    body.stepMin.push(stepMin);
    body.stepMax.push(stepMax);
    body.merged.push(merged);
    body.counts.push(Array.from(sums, (s) => (merged === 1 ? s : s / merged)));
  }
  if (exact && count <= HISTOGRAM_MAX_LOGGED)
    body.histograms = histograms.map((h) => ({
      step: h.step,
      x: h.x,
      edges: Array.from(h.edges),
      counts: Array.from(h.counts),
    }));
  return body;
}

/** Even row edges over every edge in range; a range of one value becomes [v − 0.5, v + 0.5]. */
export function yGrid(histograms: readonly PlacedHistogram[], rows: number): Float64Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (const h of histograms) {
    lo = Math.min(lo, h.edges[0] as number);
    hi = Math.max(hi, h.edges[h.edges.length - 1] as number);
  }
  if (!Number.isFinite(lo)) return new Float64Array(0);
  if (hi <= lo) {
    lo -= 0.5;
    hi += 0.5;
  }
  const grid = new Float64Array(rows + 1);
  for (let i = 0; i <= rows; i++) grid[i] = i === rows ? hi : lo + ((hi - lo) * i) / rows;
  return grid;
}

/** Adds each bin's count to the grid rows it overlaps, in proportion to the overlap. */
export function spread(
  edges: Float64Array,
  counts: Float64Array,
  grid: Float64Array,
  sums: Float64Array,
): void {
  const rows = sums.length;
  const lo = grid[0] as number;
  const step = ((grid[rows] as number) - lo) / rows;
  for (let b = 0; b < counts.length; b++) {
    const c = counts[b] as number;
    if (c === 0) continue;
    const a = edges[b] as number;
    const z = edges[b + 1] as number;
    const first = rowOf(a, lo, step, rows);
    if (z <= a) {
      sums[first] = (sums[first] as number) + c;
      continue;
    }
    const lastRow = rowOf(z, lo, step, rows, true);
    if (first === lastRow) {
      sums[first] = (sums[first] as number) + c;
      continue;
    }
    for (let r = first; r <= lastRow; r++) {
      const overlap = Math.min(z, grid[r + 1] as number) - Math.max(a, grid[r] as number);
      if (overlap > 0) sums[r] = (sums[r] as number) + (c * overlap) / (z - a);
    }
  }
}

/** The row holding v; an upper edge exactly on a row boundary belongs to the row below it. */
function rowOf(v: number, lo: number, step: number, rows: number, upper = false): number {
  const f = (v - lo) / step;
  let r = Math.floor(f);
  if (upper && r === f) r -= 1;
  return Math.max(0, Math.min(rows - 1, r));
}
