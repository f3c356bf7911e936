/**
 * What every chart draws, published on `window.__stepwiseCharts[key]` after each draw so that
 * browser tests and benchmarks can check the plotted values without reading pixels.
 */
import type { RunLine } from "../../lib/series-alignment.js";

export interface RegisteredChart {
  runs: Array<{
    runId: string;
    x: number[];
    y: (number | null)[];
    min: (number | null)[];
    max: (number | null)[];
    smoothed: (number | null)[] | null;
  }>;
  xAxis: string;
  yRange: [number, number];
  xRange: [number, number];
}

declare global {
  interface Window {
    __stepwiseCharts?: Record<string, RegisteredChart>;
  }
}

export function registerChart(
  key: string,
  lines: readonly RunLine[],
  xAxis: string,
  xRange: [number, number],
  yRange: [number, number],
): void {
  const charts = (window.__stepwiseCharts ??= {});
  charts[key] = {
    runs: lines.map(({ runId, x, y, min, max, smoothed }) => ({ runId, x, y, min, max, smoothed })),
    xAxis,
    xRange,
    yRange,
  };
}

export function unregisterChart(key: string): void {
  if (window.__stepwiseCharts !== undefined) delete window.__stepwiseCharts[key];
}
