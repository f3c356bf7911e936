/**
 * What every heatmap draws, published on `window.__stepwiseHeatmaps[id]` after each draw (with
 * when it was drawn) so that browser tests and the benchmark can check the drawn bins and time
 * the draw without guessing from pixels, as chart-registry does for line charts.
 */
import type { HistogramFrame } from "../../lib/heatmap-raster.js";

export interface RegisteredHeatmap {
  frames: number;
  /** The first frame's x (a zoomed answer starts inside the zoom). */
  firstX: number | null;
  bins: number;
  xRange: [number, number];
  yRange: [number, number];
  /** Milliseconds the cells took to rasterise and paint in this draw. */
  paintMs: number;
  /** performance.now() of the draw. */
  drawnAt: number;
  /** The frame of `step` as drawn (on the common grid), and the histogram as logged when exact. */
  at: (step: number) => {
    bins: number[];
    counts: number[];
    logged: { bins: number[]; counts: number[] } | null;
  } | null;
}

declare global {
  interface Window {
    __stepwiseHeatmaps?: Record<string, RegisteredHeatmap>;
  }
}

export function registerHeatmap(
  id: string,
  frames: readonly HistogramFrame[],
  drawn: { xRange: [number, number]; yRange: [number, number]; paintMs: number },
): void {
  const heatmaps = (window.__stepwiseHeatmaps ??= {});
  heatmaps[id] = {
    frames: frames.length,
    firstX: frames[0]?.x ?? null,
    bins: frames.reduce((most, f) => Math.max(most, f.counts.length), 0),
    ...drawn,
    drawnAt: performance.now(),
    at: (step) => {
      const frame = frames.find((f) => f.step === step);
      if (frame === undefined) return null;
      const logged =
        frame.logged === undefined
          ? null
          : { bins: [...frame.logged.bins], counts: [...frame.logged.counts] };
      return { bins: [...frame.bins], counts: [...frame.counts], logged };
    },
  };
}

export function unregisterHeatmap(id: string): void {
  if (window.__stepwiseHeatmaps !== undefined) delete window.__stepwiseHeatmaps[id];
}
