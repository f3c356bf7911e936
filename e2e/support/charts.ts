/**
 * What every chart registers for tests in `window.__stepwiseCharts` (the brief's contract), and
 * ways to wait for it: a chart counts as drawn once it has an entry with at least one run.
 */
import type { Page } from "playwright-core";

export interface ChartRunData {
  runId: string;
  x: number[];
  y: (number | null)[];
  min: (number | null)[];
  max: (number | null)[];
  smoothed: (number | null)[] | null;
}

export interface ChartData {
  runs: ChartRunData[];
  xAxis: string;
  yRange: [number, number];
  xRange: [number, number];
}

export type ChartRegistry = Record<string, ChartData>;

declare global {
  interface Window {
    __stepwiseCharts?: ChartRegistry;
  }
}

export async function readCharts(page: Page): Promise<ChartRegistry> {
  return page.evaluate(() => window.__stepwiseCharts ?? {});
}

export async function readChart(page: Page, key: string): Promise<ChartData> {
  const chart = (await readCharts(page))[key];
  if (chart === undefined) throw new Error(`no chart registered for ${key}`);
  return chart;
}

/** Waits until the chart for `key` has drawn data for `runCount` runs (and `check` holds). */
export async function waitForChart(
  page: Page,
  key: string,
  runCount: number,
  timeoutMs = 10_000,
): Promise<ChartData> {
  await page.waitForFunction(
    ({ key, runCount }) => {
      const chart = window.__stepwiseCharts?.[key];
      return chart !== undefined && chart.runs.filter((r) => r.x.length > 0).length >= runCount;
    },
    { key, runCount },
    { timeout: timeoutMs },
  );
  return readChart(page, key);
}

/** The run's entry in a chart; throws naming the chart and the run when it is missing. */
export function runIn(chart: ChartData, runId: string): ChartRunData {
  const run = chart.runs.find((r) => r.runId === runId);
  if (run === undefined)
    throw new Error(`run ${runId} not drawn (drawn: ${chart.runs.map((r) => r.runId).join(", ")})`);
  return run;
}

/** The y value drawn at exactly x, or undefined when no point has that x. */
export function yAt(run: ChartRunData, x: number): number | null | undefined {
  const index = run.x.indexOf(x);
  return index === -1 ? undefined : run.y[index];
}
