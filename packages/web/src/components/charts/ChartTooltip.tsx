/** The hover tooltip: the cursor's x and every run's value there (smoothed first when smoothing). */
import { formatPrecise, formatX, xAxisLabel } from "../../lib/chart-axes.js";
import type { RunLine } from "../../lib/series-alignment.js";
import { tooltipRows } from "../../lib/tooltip-rows.js";

export interface CursorPosition {
  /** The x value under the cursor (the nearest plotted x). */
  x: number;
  /** Pixel position inside the chart's host element. */
  left: number;
  top: number;
  /** Show the tooltip left of the cursor (it is near the right edge). */
  flip: boolean;
}

/** A tooltip taller than this stops helping; the rest are counted. */
const MAX_ROWS = 20;

export interface ChartTooltipProps {
  cursor: CursorPosition;
  lines: readonly RunLine[];
  colors: ReadonlyMap<string, string>;
  names: ReadonlyMap<string, string>;
  xAxis: string;
}

export function ChartTooltip({ cursor, lines, colors, names, xAxis }: ChartTooltipProps) {
  const rows = tooltipRows(lines, cursor.x);
  if (rows.length === 0) return null;
  // Below-right of the cursor (left of it near the right edge), never over the point itself.
  const top = cursor.top + 12;
  const style = cursor.flip
    ? { right: `calc(100% - ${cursor.left - 12}px)`, top }
    : { left: cursor.left + 12, top };
  return (
    <div className="chart-tooltip" data-testid="chart-tooltip" style={style}>
      <div className="chart-tooltip-x">
        {xAxisLabel(xAxis)} {formatX(xAxis, cursor.x)}
      </div>
      {rows.slice(0, MAX_ROWS).map((row) => (
        <div className="tooltip-row" data-testid="tooltip-row" data-run-id={row.runId} key={row.runId}>
          <span className="tooltip-swatch" style={{ background: colors.get(row.runId) }} />
          <span className="tooltip-name">{names.get(row.runId) ?? row.runId}</span>
          <span className="tooltip-value">
            {row.smoothed !== null ? formatPrecise(row.smoothed) : formatPrecise(row.value)}
            {row.smoothed !== null && <span className="tooltip-raw"> ({formatPrecise(row.value)})</span>}
          </span>
        </div>
      ))}
      {rows.length > MAX_ROWS && <div className="tooltip-more">+{rows.length - MAX_ROWS} more runs</div>}
    </div>
  );
}
