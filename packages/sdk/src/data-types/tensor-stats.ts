/**
 * Statistics of an array stored in the summary (the seed: "min, mean, variance, percentiles"):
 * over its finite elements (NaN and ±Infinity counted apart); variance and std with ddof 0 and
 * percentiles by linear interpolation, as numpy's `var`, `std` and `percentile` compute them.
 */

export const PERCENTILES = [5, 10, 25, 50, 75, 90, 95] as const;

export interface TensorStats {
  min: number;
  max: number;
  mean: number;
  std: number;
  var: number;
  /** `"5%"` … `"95%"`. */
  percentiles: Record<string, number>;
}

/** null when no element is finite. */
export function tensorStats(values: ArrayLike<number>): { stats: TensorStats | null; nonFinite: number } {
  const finite = new Float64Array(values.length);
  let n = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i] as number;
    if (x - x !== 0) continue;
    finite[n++] = x;
    sum += x;
  }
  const nonFinite = values.length - n;
  if (n === 0) return { stats: null, nonFinite };
  const sorted = finite.subarray(0, n).sort();
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += ((sorted[i] as number) - mean) ** 2;
  const variance = squares / n;
  const percentiles: Record<string, number> = {};
  for (const p of PERCENTILES) percentiles[`${p}%`] = percentile(sorted, p);
  return {
    stats: {
      min: sorted[0] as number,
      max: sorted[n - 1] as number,
      mean,
      std: Math.sqrt(variance),
      var: variance,
      percentiles,
    },
    nonFinite,
  };
}

/** numpy's `percentile(a, p)` ("linear") of sorted values, with its lerp (exact at both ends). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const index = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(index);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const t = index - lo;
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}
