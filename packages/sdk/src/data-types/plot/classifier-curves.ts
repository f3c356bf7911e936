/**
 * The numbers behind `plot.prCurve`, `plot.rocCurve` and `plot.confusionMatrix`, computed as
 * W&B computes them with scikit-learn (`precision_recall_curve`, `roc_curve`) and numpy, with
 * no dependency: pure functions of the scores, unit-tested against hand-computed cases.
 */
import { linspace } from "../histogram-bins.js";

/** One threshold per distinct score, highest first: true and false positives at or above it. */
export interface BinaryCounts {
  tps: number[];
  fps: number[];
}

/**
 * sklearn's `_binary_clf_curve`: samples sorted by score (descending); at each distinct score,
 * the positives and negatives scored at least that high.
 */
export function binaryCounts(positive: ArrayLike<boolean>, scores: ArrayLike<number>): BinaryCounts {
  const order = Array.from({ length: scores.length }, (_, i) => i);
  order.sort((a, b) => (scores[b] as number) - (scores[a] as number));
  const tps: number[] = [];
  const fps: number[] = [];
  let tp = 0;
  for (let i = 0; i < order.length; i++) {
    const sample = order[i] as number;
    if (positive[sample] === true) tp++;
    const next = order[i + 1];
    if (next === undefined || scores[next] !== scores[sample]) {
      tps.push(tp);
      fps.push(i + 1 - tp);
    }
  }
  return { tps, fps };
}

/**
 * W&B's PR curve for one class: precision made monotone (the best precision at this recall or
 * more), read at `interpSize` recall points from 1 down to 0 (np.linspace(0, 1, n)[::-1]).
 */
export function interpolatedPrecision(
  counts: BinaryCounts,
  interpSize: number,
): { recall: number[]; precision: number[] } {
  const { tps, fps } = counts;
  const totalPositive = tps[tps.length - 1] ?? 0;
  // Ascending recall: the (recall 0, precision 1) point first, then thresholds from high to low.
  const recall = [0];
  const precision = [1];
  for (let i = 0; i < tps.length; i++) {
    const tp = tps[i] as number;
    const predicted = tp + (fps[i] as number);
    recall.push(totalPositive === 0 ? 1 : tp / totalPositive);
    precision.push(predicted === 0 ? 0 : tp / predicted);
  }
  // Running max from the lowest threshold (the end) towards recall 0.
  for (let i = precision.length - 2; i >= 0; i--)
    precision[i] = Math.max(precision[i] as number, precision[i + 1] as number);
  const points = { recall: [] as number[], precision: [] as number[] };
  const grid = interpSize === 1 ? [0] : linspace(0, 1, interpSize).reverse();
  for (const r of grid) {
    points.recall.push(r);
    points.precision.push(precision[searchLeft(recall, r)] as number);
  }
  return points;
}

/** numpy's `searchsorted(sorted, x, side="left")` clamped to the last index. */
function searchLeft(sorted: number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return Math.min(lo, sorted.length - 1);
}

/**
 * sklearn's `roc_curve` (drop_intermediate=True): points on a straight line between their
 * neighbours are dropped; (0, 0) first; fpr NaN when the class has no negatives.
 */
export function rocPoints(counts: BinaryCounts): { fpr: number[]; tpr: number[] } {
  let { tps, fps } = counts;
  if (tps.length > 2) {
    const keep: number[] = [0];
    for (let i = 1; i < tps.length - 1; i++) {
      const d2f = (fps[i + 1] as number) - 2 * (fps[i] as number) + (fps[i - 1] as number);
      const d2t = (tps[i + 1] as number) - 2 * (tps[i] as number) + (tps[i - 1] as number);
      if (d2f !== 0 || d2t !== 0) keep.push(i);
    }
    keep.push(tps.length - 1);
    tps = keep.map((i) => tps[i] as number);
    fps = keep.map((i) => fps[i] as number);
  }
  const lastTp = tps[tps.length - 1] ?? 0;
  const lastFp = fps[fps.length - 1] ?? 0;
  return {
    fpr: [0, ...fps].map((n) => (lastFp > 0 ? n / lastFp : NaN)),
    tpr: [0, ...tps].map((n) => (lastTp > 0 ? n / lastTp : NaN)),
  };
}

/** `np.round(x, 3)`: x·1000 rounded half to even, divided back. */
export function round3(x: number): number {
  if (!Number.isFinite(x)) return x;
  const scaled = x * 1000;
  const floor = Math.floor(scaled);
  const diff = scaled - floor;
  const rounded = diff > 0.5 || (diff === 0.5 && floor % 2 !== 0) ? floor + 1 : floor;
  return rounded / 1000;
}

/** Index of the largest value (the first on ties), as `np.argmax`. */
export function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if ((row[i] as number) > (row[best] as number)) best = i;
  return best;
}

/** `counts[a][p]`: samples of actual class a predicted as p (class indices). */
export function confusionCounts(
  actual: readonly number[],
  predicted: readonly number[],
  classes: number,
): number[][] {
  const counts = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < actual.length; i++) {
    const row = counts[actual[i] as number] as number[];
    row[predicted[i] as number] = (row[predicted[i] as number] as number) + 1;
  }
  return counts;
}
