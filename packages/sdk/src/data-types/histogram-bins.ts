/**
 * numpy's `np.histogram(values, bins=n)` in plain float64, so a Stepwise histogram has the
 * counts and edges a W&B user gets from `wandb.Histogram` (which calls numpy):
 * - range = [min, max] of the values; a range of one value v becomes [v − 0.5, v + 0.5]; no
 *   values at all give [0, 1] (numpy's empty range);
 * - edges = `np.linspace(first, last, n + 1)`: edge i is `i · (last − first) / n + first`, the
 *   last edge exactly `last`;
 * - bin i holds edges[i] ≤ x < edges[i + 1]; the last bin is closed (x = last counts in it).
 * The bin of a value is numpy's: an index from `(x − first) / (last − first) · n`, then moved by
 * one where rounding put it on the wrong side of an edge, so counts always agree with the edges.
 *
 * Non-finite values (NaN, ±Infinity) are left out and counted (numpy refuses them: "autodetected
 * range is not finite"; a diverging model is exactly when a user wants to see its histograms).
 */

/** NaN and ±Infinity left out of a histogram, by kind. */
export interface NonFiniteCounts {
  nan: number;
  posInf: number;
  negInf: number;
}

export interface BinnedValues {
  counts: number[];
  edges: number[];
  /** null when every value was finite. */
  dropped: NonFiniteCounts | null;
}

export function binValues(values: ArrayLike<number>, numBins: number): BinnedValues {
  let min = Infinity;
  let max = -Infinity;
  let nan = 0;
  let posInf = 0;
  let negInf = 0;
  const length = values.length;
  for (let i = 0; i < length; i++) {
    const x = values[i] as number;
    if (x - x === 0) {
      if (x < min) min = x;
      if (x > max) max = x;
    } else if (x !== x) nan++;
    else if (x > 0) posInf++;
    else negInf++;
  }
  const finite = length - nan - posInf - negInf;
  let first = finite === 0 ? 0 : min;
  let last = finite === 0 ? 1 : max;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const edges = linspace(first, last, numBins + 1);
  const counts = new Float64Array(numBins);
  const span = last - first;
  for (let i = 0; i < length; i++) {
    const x = values[i] as number;
    if (x - x !== 0) continue;
    let index = Math.trunc(((x - first) / span) * numBins);
    if (index === numBins) index--;
    if (x < (edges[index] as number)) index--;
    else if (index !== numBins - 1 && x >= (edges[index + 1] as number)) index++;
    counts[index] = (counts[index] as number) + 1;
  }
  const dropped = finite === length ? null : { nan, posInf, negInf };
  return { counts: Array.from(counts), edges, dropped };
}

/** `np.linspace(start, stop, num)` (endpoint included, num ≥ 2). */
export function linspace(start: number, stop: number, num: number): number[] {
  const step = (stop - start) / (num - 1);
  const out = new Array<number>(num);
  for (let i = 0; i < num; i++) out[i] = i * step + start;
  out[num - 1] = stop;
  return out;
}
