/** Unicode sparklines for the end-of-run history printout (W&B reference §4.5). */
const BARS = "▁▂▃▄▅▆▇█";

/** Evenly picks at most `width` values (first and last kept). */
export function downsample(values: readonly number[], width: number): number[] {
  if (values.length <= width) return [...values];
  const out: number[] = [];
  for (let i = 0; i < width; i++)
    out.push(values[Math.round((i * (values.length - 1)) / (width - 1))] as number);
  return out;
}

/** NaN and ±Infinity draw as a space; a constant series draws as the lowest bar. */
export function sparkline(values: readonly number[], width = 40): string {
  const points = downsample(values, width);
  const finite = points.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return " ".repeat(points.length);
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  return points
    .map((v) => {
      if (!Number.isFinite(v)) return " ";
      if (max === min) return BARS[0];
      return BARS[Math.min(BARS.length - 1, Math.floor(((v - min) / (max - min)) * BARS.length))];
    })
    .join("");
}
