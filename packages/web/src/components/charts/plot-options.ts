/**
 * uPlot options for a line chart: thin lines, light grid, compact tick labels, no legend (the
 * tooltip lists the runs), x-only drag selection that the chart turns into a zoom request, and
 * hooks that report the cursor and each draw.
 */
import type uPlot from "uplot";
import { formatTicks, RUNTIME_INCREMENTS, xAxisLabel } from "../../lib/chart-axes.js";
import { formatDuration } from "../../lib/time-format.js";
import type { PlotLayout } from "../../lib/plot-layout.js";

export interface PlotHandlers {
  /** The zoomed x range, or null for the whole series; read when uPlot ranges the x scale. */
  zoom: { current: readonly [number, number] | null };
  onZoom: (range: [number, number] | null) => void;
  onCursor: (plot: uPlot) => void;
  onDraw: (plot: uPlot) => void;
}

export interface PlotSettings {
  width: number;
  height: number;
  xAxis: string;
  logScale: boolean;
}

const AXIS_FONT = "11px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
const AXIS_STROKE = "#6b7280";
const GRID = { stroke: "#eef0f3", width: 1 };
const TICKS = { stroke: "#e2e5ea", width: 1, size: 4 };
/** Drags shorter than this are clicks, not zooms. */
const MIN_ZOOM_PX = 4;

export function plotOptions(
  layout: PlotLayout,
  settings: PlotSettings,
  handlers: PlotHandlers,
): uPlot.Options {
  const { xAxis, logScale } = settings;
  const xValues =
    xAxis === "_timestamp"
      ? {}
      : xAxis === "_runtime"
        ? {
            values: (_: uPlot, splits: number[]) => splits.map(formatDuration),
            incrs: [...RUNTIME_INCREMENTS],
          }
        : { values: (_: uPlot, splits: number[]) => formatTicks(splits) };
  return {
    width: settings.width,
    height: settings.height,
    legend: { show: false },
    series: layout.series,
    bands: layout.bands,
    scales: {
      x: {
        time: xAxis === "_timestamp",
        range: (_u, min, max) => {
          const zoom = handlers.zoom.current;
          if (zoom !== null) return [zoom[0], zoom[1]];
          return min === max ? [min - 1, max + 1] : [min, max];
        },
      },
      y: logScale ? { distr: 3, log: 10 } : {},
    },
    axes: [
      {
        ...xValues,
        stroke: AXIS_STROKE,
        font: AXIS_FONT,
        grid: GRID,
        ticks: TICKS,
        size: 28,
        // A time axis prints the date under its ticks, which says what the axis is.
        ...(xAxis === "_timestamp"
          ? {}
          : { label: xAxisLabel(xAxis), labelFont: AXIS_FONT, labelSize: 14, labelGap: 0 }),
      },
      {
        values: (_: uPlot, splits: number[]) => formatTicks(splits),
        stroke: AXIS_STROKE,
        font: AXIS_FONT,
        grid: GRID,
        ticks: TICKS,
        size: (_u, values) => 14 + 6.5 * Math.max(3, ...(values ?? []).map((v) => v.length)),
      },
    ],
    cursor: {
      drag: { x: true, y: false, setScale: false },
      focus: { prox: -1 },
      points: {
        size: (_u, i) => (layout.roles[i]?.marked === true ? 6 : 0),
        width: 0,
      },
    },
    hooks: {
      setSelect: [
        (u) => {
          const { left, width } = u.select;
          if (width >= MIN_ZOOM_PX) handlers.onZoom([u.posToVal(left, "x"), u.posToVal(left + width, "x")]);
          u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
        },
      ],
      setCursor: [(u) => handlers.onCursor(u)],
      draw: [(u) => handlers.onDraw(u)],
      ready: [(u) => u.over.addEventListener("dblclick", () => handlers.onZoom(null))],
    },
  };
}
