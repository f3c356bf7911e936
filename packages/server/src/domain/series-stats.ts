/**
 * The pre-aggregate of a run of consecutive points, packed as STATS_STRIDE float64s so a block
 * of units is one Float64Array (and one BLOB): x of the first and last point, min, max and sum
 * of the finite values, how many values are finite, and the first and last value as logged.
 * Non-finite values (NaN, ±Infinity) count in the point total but not in min/max/sum; with no
 * finite value min is +Infinity and max -Infinity.
 */

export const STATS_STRIDE = 8;
export const X_FIRST = 0;
export const X_LAST = 1;
export const MIN = 2;
export const MAX = 3;
export const SUM = 4;
export const N_FINITE = 5;
export const FIRST = 6;
export const LAST = 7;

/** Writes the aggregate of points [from, to) (to > from) at unit `unit` of `out`. */
export function statsOfPoints(
  xs: Float64Array,
  ys: Float64Array,
  from: number,
  to: number,
  out: Float64Array,
  unit: number,
): void {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let finite = 0;
  for (let i = from; i < to; i++) {
    const y = ys[i] as number;
    if (y - y === 0) {
      // Finite (NaN and ±Infinity give NaN here): the cheapest finiteness test in V8.
      if (y < min) min = y;
      if (y > max) max = y;
      sum += y;
      finite++;
    }
  }
  const at = unit * STATS_STRIDE;
  out[at + X_FIRST] = xs[from] as number;
  out[at + X_LAST] = xs[to - 1] as number;
  out[at + MIN] = min;
  out[at + MAX] = max;
  out[at + SUM] = sum;
  out[at + N_FINITE] = finite;
  out[at + FIRST] = ys[from] as number;
  out[at + LAST] = ys[to - 1] as number;
}

/** Writes the aggregate of units [from, to) of `src` (to > from) at unit `unit` of `out`. */
export function statsOfUnits(
  src: Float64Array,
  from: number,
  to: number,
  out: Float64Array,
  unit: number,
): void {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let finite = 0;
  for (let u = from; u < to; u++) {
    const at = u * STATS_STRIDE;
    const unitMin = src[at + MIN] as number;
    const unitMax = src[at + MAX] as number;
    if (unitMin < min) min = unitMin;
    if (unitMax > max) max = unitMax;
    sum += src[at + SUM] as number;
    finite += src[at + N_FINITE] as number;
  }
  const first = from * STATS_STRIDE;
  const last = (to - 1) * STATS_STRIDE;
  const at = unit * STATS_STRIDE;
  out[at + X_FIRST] = src[first + X_FIRST] as number;
  out[at + X_LAST] = src[last + X_LAST] as number;
  out[at + MIN] = min;
  out[at + MAX] = max;
  out[at + SUM] = sum;
  out[at + N_FINITE] = finite;
  out[at + FIRST] = src[first + FIRST] as number;
  out[at + LAST] = src[last + LAST] as number;
}
