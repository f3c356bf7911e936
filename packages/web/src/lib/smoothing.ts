/**
 * Line smoothing as W&B and TensorBoard draw it: a debiased exponential moving average and a
 * trailing running average. Both work on a run's own points in x order; missing values (null,
 * NaN, ±Infinity) stay missing in the output and do not enter the average, so a gap in a run
 * never drags its curve towards zero. The URL spec is `ema:<weight>` or `avg:<window>`.
 */

export type Smoothing = { kind: "none" } | { kind: "ema"; weight: number } | { kind: "avg"; window: number };

export const NO_SMOOTHING: Smoothing = { kind: "none" };
/** W&B's default EMA weight. */
export const DEFAULT_EMA_WEIGHT = 0.6;
export const DEFAULT_AVG_WINDOW = 10;
/** 1 would freeze the curve at its first value; TensorBoard stops at 0.999 too. */
export const MAX_EMA_WEIGHT = 0.999;
export const MAX_AVG_WINDOW = 100_000;

/** `ema:0.6` → EMA, `avg:10` → running average, anything else → none. Out-of-range values are clamped. */
export function parseSmoothing(spec: string): Smoothing {
  const colon = spec.indexOf(":");
  const kind = colon < 0 ? spec : spec.slice(0, colon);
  const arg = colon < 0 ? Number.NaN : Number(spec.slice(colon + 1));
  if (kind === "ema") return { kind, weight: clampWeight(Number.isFinite(arg) ? arg : DEFAULT_EMA_WEIGHT) };
  if (kind === "avg") return { kind, window: clampWindow(Number.isFinite(arg) ? arg : DEFAULT_AVG_WINDOW) };
  return NO_SMOOTHING;
}

/** The URL spec of a smoothing: `""` for none. */
export function formatSmoothing(smoothing: Smoothing): string {
  if (smoothing.kind === "ema") return `ema:${clampWeight(smoothing.weight)}`;
  if (smoothing.kind === "avg") return `avg:${clampWindow(smoothing.window)}`;
  return "";
}

export function clampWeight(weight: number): number {
  if (!Number.isFinite(weight) || weight < 0) return 0;
  // Rounded to 3 decimals so that a typed 0.6 never becomes 0.6000000000000001 in the URL.
  return Math.min(MAX_EMA_WEIGHT, Math.round(weight * 1000) / 1000);
}

export function clampWindow(window: number): number {
  if (!Number.isFinite(window)) return DEFAULT_AVG_WINDOW;
  return Math.min(MAX_AVG_WINDOW, Math.max(1, Math.round(window)));
}

/**
 * TensorBoard's debiased EMA: `acc = acc·w + (1−w)·y`, shown as `acc / (1 − w^n)` after n values,
 * so the first point equals its raw value instead of starting near zero.
 */
export function emaSmooth(values: ArrayLike<number | null>, weight: number): (number | null)[] {
  const w = clampWeight(weight);
  const out = new Array<number | null>(values.length);
  let acc = 0;
  let debias = 1;
  for (let i = 0; i < values.length; i++) {
    const y = values[i];
    if (y === null || y === undefined || !Number.isFinite(y)) {
      out[i] = null;
      continue;
    }
    acc = acc * w + (1 - w) * y;
    debias *= w;
    out[i] = acc / (1 - debias);
  }
  return out;
}

/** The mean of the last `window` finite values up to and including each point. */
export function runningAverage(values: ArrayLike<number | null>, window: number): (number | null)[] {
  const size = clampWindow(window);
  const out = new Array<number | null>(values.length);
  const ring = new Float64Array(size);
  let filled = 0;
  let next = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const y = values[i];
    if (y === null || y === undefined || !Number.isFinite(y)) {
      out[i] = null;
      continue;
    }
    if (filled === size) sum -= ring[next] as number;
    else filled++;
    ring[next] = y;
    next = (next + 1) % size;
    sum += y;
    out[i] = sum / filled;
  }
  return out;
}

/** The smoothed line of one run's values, or null when nothing smooths (no second line drawn). */
export function smoothValues(
  values: ArrayLike<number | null>,
  smoothing: Smoothing,
): (number | null)[] | null {
  if (smoothing.kind === "ema") return emaSmooth(values, smoothing.weight);
  if (smoothing.kind === "avg") return runningAverage(values, smoothing.window);
  return null;
}
