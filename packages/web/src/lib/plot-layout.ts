/**
 * The uPlot data and series for a chart's aligned runs. Layers are ordered back to front: every
 * run's min/max band first (faint fill, no stroke), then the raw lines (faint when smoothed),
 * then the smoothed lines, so no band covers another run's line. `signature` changes only when
 * the series structure does; otherwise new data goes through `setData` without a rebuild.
 */
import type uPlot from "uplot";
import type { AlignedLines } from "./series-alignment.js";
import { bandAlphas, RAW_UNDER_SMOOTHED_ALPHA, withAlpha } from "./chart-colors.js";
import { isolatedPoints } from "./point-markers.js";

export interface PlotLayout {
  data: uPlot.AlignedData;
  series: uPlot.Series[];
  bands: uPlot.Band[];
  /** Per series index: the run it belongs to and whether it is the line the cursor marks. */
  roles: Array<{ runId: string; marked: boolean } | null>;
  signature: string;
}

const LINE_WIDTH = 1.25;
const SMOOTHED_WIDTH = 1.5;
const BAND_EDGE_WIDTH = 0.75;
/** Diameter of the marker on a point no line reaches (a metric logged once). */
export const MARKER_SIZE = 7;

/**
 * Lines draw no points, except a marker where a point has no neighbour to join (the filter reads
 * the data at each draw, so new data through setData needs no rebuild).
 */
function linePoints(stroke: string): uPlot.Series.Points {
  return {
    show: false,
    filter: (u, seriesIdx) => isolatedPoints(u.data[seriesIdx] ?? [], true),
    size: MARKER_SIZE,
    width: 0,
    fill: stroke,
    stroke,
  };
}

export function plotLayout(aligned: AlignedLines, colors: ReadonlyMap<string, string>): PlotLayout {
  const data: Array<ArrayLike<number | null>> = [aligned.x];
  const series: uPlot.Series[] = [{}];
  const roles: PlotLayout["roles"] = [null];
  const bands: uPlot.Band[] = [];
  const smoothing = aligned.lines.some((line) => line.smoothed !== null);
  const color = (runId: string): string => colors.get(runId) ?? "#888";
  const signature: string[] = [smoothing ? "s" : "r"];
  const alpha = bandAlphas(aligned.lines.length);

  for (const line of aligned.lines) {
    if (line.min === null || line.max === null) continue;
    const fill = withAlpha(color(line.runId), alpha.fill);
    // The edges get a faint stroke too: a one-bucket spike is a sliver of fill, but its edge is a
    // line that shows at any zoom level.
    const stroke = withAlpha(color(line.runId), alpha.edge);
    bands.push({ series: [data.length, data.length + 1], fill });
    for (const values of [line.max, line.min]) {
      data.push(values);
      series.push({ stroke, width: BAND_EDGE_WIDTH, spanGaps: true, points: { show: false } });
      roles.push({ runId: line.runId, marked: false });
    }
    signature.push(`b:${line.runId}`);
  }
  for (const line of aligned.lines) {
    const stroke = smoothing ? withAlpha(color(line.runId), RAW_UNDER_SMOOTHED_ALPHA) : color(line.runId);
    data.push(line.y);
    series.push({ stroke, width: LINE_WIDTH, spanGaps: true, points: linePoints(stroke) });
    roles.push({ runId: line.runId, marked: !smoothing });
    signature.push(`r:${line.runId}:${color(line.runId)}`);
  }
  for (const line of aligned.lines) {
    if (line.smoothed === null) continue;
    data.push(line.smoothed);
    series.push({
      stroke: color(line.runId),
      width: SMOOTHED_WIDTH,
      spanGaps: true,
      points: linePoints(color(line.runId)),
    });
    roles.push({ runId: line.runId, marked: true });
  }
  return { data: data as uPlot.AlignedData, series, bands, roles, signature: signature.join("|") };
}
