/**
 * One uPlot line chart. uPlot is created once per series structure (runs, bands, smoothing,
 * axis, log scale) and destroyed on unmount; new data for the same structure goes through
 * `setData`, a resize through `setSize`. A drag selects an x range that the parent turns into a
 * finer query; a double-click resets it.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { alignLines, type RunLine } from "../../lib/series-alignment.js";
import { ChartTooltip, type CursorPosition } from "./ChartTooltip.js";
import { registerChart, unregisterChart } from "./chart-registry.js";
import { plotLayout } from "../../lib/plot-layout.js";
import { plotOptions, type PlotHandlers } from "./plot-options.js";
import { useElementWidth } from "./useElementWidth.js";

export interface LineChartProps {
  chartKey: string;
  lines: RunLine[];
  colors: ReadonlyMap<string, string>;
  names: ReadonlyMap<string, string>;
  xAxis: string;
  logScale: boolean;
  zoom: readonly [number, number] | null;
  onZoom: (range: [number, number] | null) => void;
  height: number;
}

/** A tooltip this close to the right edge flips to the cursor's left. */
const TOOLTIP_FLIP_PX = 220;

export function LineChart(props: LineChartProps) {
  const { chartKey, lines, colors, xAxis, logScale, zoom, height } = props;
  const hostRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const width = useElementWidth(hostRef);
  const [cursor, setCursor] = useState<CursorPosition | null>(null);
  const aligned = useMemo(() => alignLines(lines, logScale), [lines, logScale]);
  const layout = useMemo(() => plotLayout(aligned, colors), [aligned, colors]);

  // Read by uPlot's callbacks, which outlive a render.
  const current = useRef({ props, layout, width });
  current.current = { props, layout, width };
  const zoomRef = useRef(zoom);
  zoomRef.current = zoom;

  const structure = `${layout.signature}|${xAxis}|${logScale ? "log" : "lin"}`;
  const measured = width > 0;
  useEffect(() => {
    const host = hostRef.current;
    if (host === null || !measured) return;
    const handlers: PlotHandlers = {
      zoom: zoomRef,
      onZoom: (range) => current.current.props.onZoom(range),
      onCursor: (u) => setCursor(cursorPosition(u)),
      onDraw: (u) => {
        const { props: p } = current.current;
        registerChart(p.chartKey, p.lines, p.xAxis, scaleRange(u, "x"), scaleRange(u, "y"));
      },
    };
    const { layout: l, width: w } = current.current;
    const plot = new uPlot(plotOptions(l, { width: w, height, xAxis, logScale }, handlers), l.data, host);
    plotRef.current = plot;
    return () => {
      plot.destroy();
      plotRef.current = null;
    };
  }, [structure, measured, height, xAxis, logScale]);

  useEffect(() => {
    const plot = plotRef.current;
    if (plot !== null && plot.data !== layout.data) plot.setData(layout.data);
  }, [layout]);

  useEffect(() => {
    const plot = plotRef.current;
    if (plot !== null && width > 0 && plot.width !== width) plot.setSize({ width, height });
  }, [width, height]);

  useEffect(() => {
    // Re-ranges x through the scale's range function, which reads the zoom.
    const plot = plotRef.current;
    if (plot !== null) plot.setData(plot.data, true);
  }, [zoom]);

  useEffect(() => () => unregisterChart(chartKey), [chartKey]);

  return (
    <div className="line-chart" onMouseLeave={() => setCursor(null)}>
      <div className="line-chart-plot" ref={hostRef} style={{ height }} />
      {cursor !== null && (
        <ChartTooltip cursor={cursor} lines={lines} colors={colors} names={props.names} xAxis={xAxis} />
      )}
    </div>
  );
}

function cursorPosition(u: uPlot): CursorPosition | null {
  const { idx, left, top } = u.cursor;
  if (idx === null || idx === undefined || left === undefined || top === undefined || left < 0) return null;
  const x = u.data[0][idx];
  if (x === undefined) return null;
  const plotLeft = u.over.offsetLeft + left;
  return {
    x,
    left: plotLeft,
    top: u.over.offsetTop + top,
    flip: u.over.clientWidth - left < TOOLTIP_FLIP_PX,
  };
}

function scaleRange(u: uPlot, key: string): [number, number] {
  const scale = u.scales[key];
  return [scale?.min ?? Number.NaN, scale?.max ?? Number.NaN];
}
