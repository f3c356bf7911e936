/**
 * The server's heatmap (protocol `HistogramHeatmap`: columns on one common y grid) as frames for
 * the raster: column i at its first x, the grid's edges and the column's counts; when the answer
 * is exact, each frame also keeps the histogram as logged, so the tooltip names the logged bin
 * and count rather than the grid's redistribution of them.
 */
import type { HistogramHeatmap } from "@stepwise/protocol";
import type { HistogramFrame } from "./heatmap-raster.js";

export function heatmapFrames(heatmap: HistogramHeatmap): HistogramFrame[] {
  const logged = new Map((heatmap.histograms ?? []).map((h) => [h.step, h]));
  const frames: HistogramFrame[] = [];
  for (let i = 0; i < heatmap.x.length; i++) {
    const step = heatmap.stepMin[i] ?? 0;
    const own = heatmap.exact ? logged.get(step) : undefined;
    frames.push({
      x: heatmap.xMin[i] ?? heatmap.x[i] ?? 0,
      step,
      stepMax: heatmap.stepMax[i] ?? step,
      merged: heatmap.merged[i] ?? 1,
      bins: heatmap.yEdges,
      counts: heatmap.counts[i] ?? [],
      ...(own === undefined ? {} : { logged: { bins: own.edges, counts: own.counts } }),
    });
  }
  return frames;
}
