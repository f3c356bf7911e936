/**
 * One run's histogram key over time as a heatmap: uPlot draws the axes and handles the cursor
 * and the drag-to-zoom exactly as the line charts do (plot-options' x-only selection, a
 * double-click resets), and the cells are painted under the axes in uPlot's `drawClear` hook
 * from a raster (heatmap-raster) at the canvas' device pixels with one putImageData. Hovering
 * names the step, the bin and its count.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { formatPrecise, formatTicks, formatX, xAxisLabel } from "../../lib/chart-axes.js";
import { paintCells } from "../../lib/heatmap-colors.js";
import {
  binAt,
  binRange,
  frameAt,
  frameRange,
  rasterize,
  type BinHit,
  type HistogramFrame,
} from "../../lib/heatmap-raster.js";
import { useElementWidth } from "../charts/useElementWidth.js";
import { registerHeatmap, unregisterHeatmap } from "./heatmap-registry.js";

export interface HistogramHeatmapProps {
  /** Names the heatmap in window.__stepwiseHeatmaps (`<key>|<runId>`). */
  id: string;
  frames: readonly HistogramFrame[];
  xAxis: string;
  height: number;
  zoom: readonly [number, number] | null;
  onZoom: (range: [number, number] | null) => void;
}

interface Hover {
  left: number;
  top: number;
  frame: HistogramFrame;
  bin: BinHit | null;
}

const AXIS_FONT = "11px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
const AXIS_STROKE = "#6b7280";
const TICKS = { stroke: "#e2e5ea", width: 1, size: 4 };
const MIN_ZOOM_PX = 4;

export function HistogramHeatmap({ id, frames, xAxis, height, zoom, onZoom }: HistogramHeatmapProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const width = useElementWidth(hostRef);
  const [hover, setHover] = useState<Hover | null>(null);
  /** How long the last raster and paint took (the benchmark reads it from the registry). */
  const paintMs = useRef(0);
  const data = useMemo(() => ({ frames, x: frameRange(frames), y: binRange(frames) }), [frames]);
  const current = useRef({ data, zoom, onZoom, id, xAxis });
  current.current = { data, zoom, onZoom, id, xAxis };

  const measured = width > 0;
  useEffect(() => {
    const host = hostRef.current;
    if (host === null || !measured) return;
    const options: uPlot.Options = {
      width: host.clientWidth,
      height,
      legend: { show: false },
      series: [{}, { show: true, paths: () => null, points: { show: false } }],
      scales: {
        x: {
          time: false,
          range: (_u, min, max) => {
            const { zoom: z, data: d } = current.current;
            if (z !== null) return [z[0], z[1]];
            return d.x ?? (min === max ? [min - 1, max + 1] : [min, max]);
          },
        },
        y: { range: () => current.current.data.y ?? [0, 1] },
      },
      axes: [
        {
          values: (_u, splits) => formatTicks(splits),
          stroke: AXIS_STROKE,
          font: AXIS_FONT,
          grid: { show: false },
          ticks: TICKS,
          size: 28,
          label: xAxisLabel(xAxis),
          labelFont: AXIS_FONT,
          labelSize: 14,
          labelGap: 0,
        },
        {
          values: (_u, splits) => formatTicks(splits),
          stroke: AXIS_STROKE,
          font: AXIS_FONT,
          grid: { show: false },
          ticks: TICKS,
          size: (_u, values) => 14 + 6.5 * Math.max(3, ...(values ?? []).map((v) => v.length)),
        },
      ],
      cursor: { drag: { x: true, y: false, setScale: false }, points: { show: false } },
      hooks: {
        drawClear: [
          (u) => {
            const t0 = performance.now();
            paint(u, current.current.data.frames);
            paintMs.current = performance.now() - t0;
          },
        ],
        draw: [
          (u) =>
            registerHeatmap(current.current.id, current.current.data.frames, {
              xRange: scaleOf(u, "x"),
              yRange: scaleOf(u, "y"),
              paintMs: paintMs.current,
            }),
        ],
        setSelect: [
          (u) => {
            const { left, width: w } = u.select;
            if (w >= MIN_ZOOM_PX) current.current.onZoom([u.posToVal(left, "x"), u.posToVal(left + w, "x")]);
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          },
        ],
        setCursor: [(u) => setHover(hoverAt(u, current.current.data.frames))],
        ready: [(u) => u.over.addEventListener("dblclick", () => current.current.onZoom(null))],
      },
    };
    const plot = new uPlot(options, xData(data.frames), host);
    plotRef.current = plot;
    return () => {
      plot.destroy();
      plotRef.current = null;
    };
  }, [measured, height, xAxis]);

  useEffect(() => {
    plotRef.current?.setData(xData(data.frames), true);
  }, [data]);
  useEffect(() => {
    const plot = plotRef.current;
    if (plot !== null && width > 0 && plot.width !== width) plot.setSize({ width, height });
  }, [width, height]);
  useEffect(() => {
    const plot = plotRef.current;
    if (plot !== null) plot.setData(plot.data, true);
  }, [zoom]);
  useEffect(() => () => unregisterHeatmap(id), [id]);

  return (
    <div className="heatmap" data-testid="heatmap" data-heatmap-id={id} onMouseLeave={() => setHover(null)}>
      <div className="heatmap-plot" ref={hostRef} style={{ height }} />
      {hover !== null && <HeatmapTooltip hover={hover} xAxis={xAxis} />}
    </div>
  );
}

function HeatmapTooltip({ hover, xAxis }: { hover: Hover; xAxis: string }) {
  const { frame, bin } = hover;
  return (
    <div
      className="chart-tooltip"
      data-testid="heatmap-tooltip"
      data-step={frame.step}
      style={{ left: hover.left + 12, top: hover.top + 12 }}
    >
      <div className="chart-tooltip-x">
        {frame.stepMax !== undefined && frame.stepMax !== frame.step
          ? `Steps ${frame.step}–${frame.stepMax} (mean of ${frame.merged ?? 1})`
          : `Step ${frame.step}`}
        {xAxis !== "_step" && ` · ${xAxisLabel(xAxis)} ${formatX(xAxis, frame.x)}`}
      </div>
      {bin === null ? (
        <div className="tooltip-row">outside the bins</div>
      ) : (
        <div className="tooltip-row" data-testid="heatmap-bin" data-bin={bin.index} data-count={bin.count}>
          <span className="tooltip-name">
            [{formatPrecise(bin.lo)}, {formatPrecise(bin.hi)}
            {bin.last ? "]" : ")"}
          </span>
          <span className="tooltip-value">{bin.count}</span>
        </div>
      )}
    </div>
  );
}

/** uPlot wants x values and one series: the frames' x and nothing to stroke. */
function xData(frames: readonly HistogramFrame[]): uPlot.AlignedData {
  const xs = frames.map((f) => f.x);
  return [xs, xs.map(() => null)];
}

function paint(u: uPlot, frames: readonly HistogramFrame[]): void {
  const { left, top, width, height } = u.bbox;
  const x = u.scales.x;
  const y = u.scales.y;
  if (x?.min == null || x.max == null || y?.min == null || y.max == null) return;
  const w = Math.round(width);
  const h = Math.round(height);
  if (w <= 0 || h <= 0) return;
  const { cells, max } = rasterize(frames, {
    width: w,
    height: h,
    xMin: x.min,
    xMax: x.max,
    yMin: y.min,
    yMax: y.max,
  });
  u.ctx.putImageData(new ImageData(paintCells(cells, max), w, h), Math.round(left), Math.round(top));
}

function hoverAt(u: uPlot, frames: readonly HistogramFrame[]): Hover | null {
  const { left, top } = u.cursor;
  if (left === undefined || top === undefined || left < 0 || top < 0) return null;
  const frame = frameAt(frames, u.posToVal(left, "x"));
  if (frame === null) return null;
  return {
    left: u.over.offsetLeft + left,
    top: u.over.offsetTop + top,
    frame,
    bin: binAt(frame.logged ?? frame, u.posToVal(top, "y")),
  };
}

function scaleOf(u: uPlot, key: string): [number, number] {
  const scale = u.scales[key];
  return [scale?.min ?? Number.NaN, scale?.max ?? Number.NaN];
}
