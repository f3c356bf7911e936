/**
 * A histogram key over time as a heatmap raster: each logged histogram (a frame: its x, bin
 * edges and counts) fills the pixel columns from its x to the next frame's, each bin the pixel
 * rows between its edges, the cell's value its count. Where several frames or bins fall on one
 * pixel (more frames than columns, or narrow bins), the pixel keeps the largest count, so a
 * single spiky frame is not painted over by its quiet neighbours. Uneven edges are kept: a bin
 * covers exactly its own value range.
 */

export interface HistogramFrame {
  /** The frame's position on the chart's x-axis (its step, or the x-axis metric's value). */
  x: number;
  /** The step it was logged at (what the tooltip names); the first, for merged histograms. */
  step: number;
  /** The last step merged into this frame (equal to `step` for one histogram). */
  stepMax?: number;
  /** Histograms merged into this frame (their mean counts), 1 or more. */
  merged?: number;
  /** The histogram as logged (its own edges and counts), when the frame is exactly one. */
  logged?: { bins: readonly number[]; counts: readonly number[] };
  /** Bin edges, ascending: one more than `counts`. */
  bins: readonly number[];
  counts: readonly number[];
}

export interface RasterBox {
  /** Raster size in pixels. */
  width: number;
  height: number;
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

export interface Raster {
  /** Row-major, row 0 at the top (yMax); NaN where no bin reaches. */
  cells: Float32Array;
  /** The largest count in the raster (0 when empty). */
  max: number;
}

/** The y range every frame's bins span: the lowest first edge and the highest last edge. */
export function binRange(frames: readonly HistogramFrame[]): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const frame of frames) {
    const first = frame.bins[0];
    const last = frame.bins[frame.bins.length - 1];
    if (first !== undefined && Number.isFinite(first) && first < lo) lo = first;
    if (last !== undefined && Number.isFinite(last) && last > hi) hi = last;
  }
  if (lo > hi) return null;
  return lo === hi ? [lo - 0.5, hi + 0.5] : [lo, hi];
}

/** The x range of the frames, with room after the last for its own column. */
export function frameRange(frames: readonly HistogramFrame[]): [number, number] | null {
  const first = frames[0];
  const last = frames[frames.length - 1];
  if (first === undefined || last === undefined) return null;
  return [first.x, last.x + lastSpan(frames)];
}

/** How wide the last frame's column is: the spacing before it, or 1 for a single frame. */
function lastSpan(frames: readonly HistogramFrame[]): number {
  const n = frames.length;
  const last = frames[n - 1];
  const before = frames[n - 2];
  if (last === undefined || before === undefined || last.x <= before.x) return 1;
  return last.x - before.x;
}

export function rasterize(frames: readonly HistogramFrame[], box: RasterBox): Raster {
  const { width, height, xMin, xMax, yMin, yMax } = box;
  const cells = new Float32Array(width * height).fill(Number.NaN);
  if (width <= 0 || height <= 0 || !(xMax > xMin) || !(yMax > yMin)) return { cells, max: 0 };
  const xScale = width / (xMax - xMin);
  const yScale = height / (yMax - yMin);
  const tail = lastSpan(frames);
  const rowTop = new Int32Array(513);
  const rowEnd = new Int32Array(513);
  let max = 0;
  for (let i = 0; i < frames.length; i++) {
    const frame = frames[i] as HistogramFrame;
    const next = frames[i + 1];
    const x1 = next === undefined ? frame.x + tail : next.x;
    const colStart = Math.floor((frame.x - xMin) * xScale);
    const colEnd = Math.max(colStart + 1, Math.floor((x1 - xMin) * xScale));
    if (colEnd <= 0 || colStart >= width) continue;
    const c0 = Math.max(0, colStart);
    const c1 = Math.min(width, colEnd);
    const bins = Math.min(frame.counts.length, frame.bins.length - 1, rowTop.length);
    for (let b = 0; b < bins; b++) {
      const lo = frame.bins[b] as number;
      const hi = frame.bins[b + 1] as number;
      const top = Math.floor((yMax - hi) * yScale);
      const end = Math.max(top + 1, Math.floor((yMax - lo) * yScale));
      rowTop[b] = Math.max(0, top);
      rowEnd[b] = Math.min(height, end);
    }
    for (let b = 0; b < bins; b++) {
      const count = frame.counts[b] as number;
      if (!Number.isFinite(count)) continue;
      if (count > max) max = count;
      const r1 = rowEnd[b] as number;
      for (let r = rowTop[b] as number; r < r1; r++) {
        const offset = r * width;
        for (let c = c0; c < c1; c++) {
          const known = cells[offset + c] as number;
          // NaN compares false: an empty pixel always takes the count.
          if (!(known >= count)) cells[offset + c] = count;
        }
      }
    }
  }
  return { cells, max };
}

/** The frame whose column holds `x`: the last one at or before it (binary search); null before the first. */
export function frameAt(frames: readonly HistogramFrame[], x: number): HistogramFrame | null {
  let lo = 0;
  let hi = frames.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((frames[mid] as HistogramFrame).x <= x) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0) return null;
  const frame = frames[found] as HistogramFrame;
  // Past the last frame's own column there is nothing.
  if (found === frames.length - 1 && x >= frame.x + lastSpan(frames)) return null;
  return frame;
}

export interface BinHit {
  index: number;
  lo: number;
  hi: number;
  count: number;
  /** The last bin, closed on both ends. */
  last: boolean;
}

/** The bin of `frame` holding the value `y` (`[lo, hi)`, the last bin closed), or null outside the edges. */
export function binAt(frame: Pick<HistogramFrame, "bins" | "counts">, y: number): BinHit | null {
  const n = Math.min(frame.counts.length, frame.bins.length - 1);
  for (let b = 0; b < n; b++) {
    const lo = frame.bins[b] as number;
    const hi = frame.bins[b + 1] as number;
    if (y >= lo && (y < hi || (b === n - 1 && y === hi))) {
      return { index: b, lo, hi, count: frame.counts[b] as number, last: b === n - 1 };
    }
  }
  return null;
}
