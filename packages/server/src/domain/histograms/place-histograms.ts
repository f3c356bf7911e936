/**
 * Puts a key's histograms on the chart's x axis: with `_step` each histogram's x is its step;
 * with another key, the value that key was logged with at the same step (a histogram whose step
 * has no value of it is left out, as a line chart leaves out its points). Then the x range is
 * applied and the histograms are ordered by x, then step.
 */
import type { PlacedHistogram } from "./heatmap.js";

export interface StepHistogram {
  step: number;
  edges: Float64Array;
  counts: Float64Array;
}

export interface XSeries {
  steps: Float64Array;
  values: Float64Array;
}

export function placeHistograms(
  histograms: readonly StepHistogram[],
  xSeries: XSeries | null,
  xMin: number | undefined,
  xMax: number | undefined,
): PlacedHistogram[] {
  const xAt = xSeries === null ? null : lastValueByStep(xSeries);
  const placed: PlacedHistogram[] = [];
  for (const h of histograms) {
    const x = xAt === null ? h.step : xAt.get(h.step);
    if (x === undefined || !Number.isFinite(x)) continue;
    if ((xMin !== undefined && x < xMin) || (xMax !== undefined && x > xMax)) continue;
    placed.push({ step: h.step, x, edges: h.edges, counts: h.counts });
  }
  if (xAt !== null) placed.sort((a, b) => a.x - b.x || a.step - b.step);
  return placed;
}

function lastValueByStep(series: XSeries): Map<number, number> {
  const byStep = new Map<number, number>();
  for (let i = 0; i < series.steps.length; i++)
    byStep.set(series.steps[i] as number, series.values[i] as number);
  return byStep;
}
