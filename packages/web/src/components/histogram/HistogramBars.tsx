/**
 * A histogram value (W&B's `{ _type: "histogram", values, bins }`) as a small bar chart: one bar
 * per bin, as wide as its edges (uneven edges kept), as tall as its count. An SVG, so the runs
 * table's 28 px rows and the run page's summary draw it crisply at any size; the title lists the
 * range and the largest bin.
 */
import { formatPrecise } from "../../lib/chart-axes.js";

export interface HistogramBarsProps {
  bins: readonly number[];
  counts: readonly number[];
  width: number;
  height: number;
  color?: string;
}

export function HistogramBars({ bins, counts, width, height, color = "#4c6ef5" }: HistogramBarsProps) {
  const lo = bins[0] ?? 0;
  const hi = bins[bins.length - 1] ?? 1;
  const span = hi > lo ? hi - lo : 1;
  const max = Math.max(0, ...counts.filter(Number.isFinite));
  const peak = counts.indexOf(max);
  const title = `${counts.length} bins over [${formatPrecise(lo)}, ${formatPrecise(hi)}], largest ${max} in [${formatPrecise(bins[peak] ?? lo)}, ${formatPrecise(bins[peak + 1] ?? hi)})`;
  return (
    <svg
      className="histogram-bars"
      data-testid="histogram-bars"
      data-counts={counts.join(",")}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={title}
    >
      <title>{title}</title>
      {counts.map((count, i) => {
        const x0 = (((bins[i] ?? lo) - lo) / span) * width;
        const x1 = (((bins[i + 1] ?? hi) - lo) / span) * width;
        const h = max > 0 && count > 0 ? Math.max(1, (count / max) * height) : 0;
        return (
          <rect key={i} x={x0} y={height - h} width={Math.max(0.5, x1 - x0 - 0.5)} height={h} fill={color} />
        );
      })}
    </svg>
  );
}
