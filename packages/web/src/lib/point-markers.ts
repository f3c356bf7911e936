/**
 * Points no line reaches: uPlot strokes a line between two drawn points, so a metric logged
 * once (or with one finite value among NaN/±Infinity, which the server sends as null) draws
 * nothing unless the point gets a marker. With `spanGaps` (how every chart draws) a line spans
 * nulls, so only a series with exactly one finite value has such a point; without it, any
 * finite value between two nulls (or an end) is isolated.
 */

type Values = ArrayLike<number | null | undefined>;

function finite(value: number | null | undefined): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

/** Indices of the values that need a marker to be seen at all; null when there are none. */
export function isolatedPoints(values: Values, spanGaps: boolean): number[] | null {
  if (spanGaps) {
    let only = -1;
    for (let i = 0; i < values.length; i++) {
      if (!finite(values[i])) continue;
      if (only !== -1) return null; // two finite values: a line joins them
      only = i;
    }
    return only === -1 ? null : [only];
  }
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    if (finite(values[i]) && !finite(values[i - 1]) && !finite(values[i + 1])) out.push(i);
  }
  return out.length === 0 ? null : out;
}

/** The notice a chart shows instead of an empty plot: its series hold points, none finite. */
export const NON_FINITE_NOTICE = "only NaN/Inf values";

export function nonFiniteNotice(lines: ReadonlyArray<{ x: ArrayLike<number>; y: Values }>): string | null {
  if (lines.length === 0 || lines.every((line) => line.x.length === 0)) return null;
  for (const line of lines) for (let i = 0; i < line.y.length; i++) if (finite(line.y[i])) return null;
  return NON_FINITE_NOTICE;
}
