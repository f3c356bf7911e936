/**
 * A single-step spike inside a 1,000,000-point series is visible when the chart shows the whole
 * run: the server's min/max buckets keep it, so the drawn band's max reaches it and the y range
 * includes it (a plain mean or a decimation would hide it). Dragging a range around it zooms in
 * down to the exact points.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { waitForChart, yAt } from "./support/charts.js";
import { useE2eFixture } from "./support/e2e-fixture.js";
import { logRuns } from "./support/log-runs.js";

const fx = useE2eFixture({ vision: false });
const POINTS = 1_000_000;
const SPIKE_STEP = 654_321;
const SPIKE = 100;

/** Background: a small sawtooth in [0, 1). */
function signal(step: number): number {
  return (step % 97) / 97;
}

describe("a spike in a million points", () => {
  it("is in the band and the y range when zoomed out, at every zoom, and exact when zoomed in", async () => {
    const started = Date.now();
    const [run] = await logRuns(fx.server(), [
      {
        project: "spike",
        name: "million",
        logSteps(run) {
          for (let step = 0; step < POINTS; step++)
            run.log({ signal: step === SPIKE_STEP ? SPIKE : signal(step) });
        },
      },
    ]);
    if (run === undefined) throw new Error("no run logged");
    const loggedMs = Date.now() - started;
    const page = await fx.open("/local/spike");
    const chart = await waitForChart(page, "signal", 1, 20_000);
    const drawn = chart.runs[0];
    if (drawn === undefined) throw new Error("no run drawn");
    // Downsampled: far fewer points than logged, covering the whole run.
    expect(drawn.x.length).toBeLessThan(POINTS / 10);
    expect(chart.xRange[0]).toBeLessThanOrEqual(0);
    expect(chart.xRange[1]).toBeGreaterThanOrEqual(POINTS - 1 - POINTS / drawn.x.length);
    // The spike: the bucket holding its step has max = SPIKE, no other bucket comes near.
    const maxima = drawn.max.map((m) => m ?? -Infinity);
    const peak = Math.max(...maxima);
    expect(peak).toBe(SPIKE);
    const at = maxima.indexOf(peak);
    const bucketWidth = POINTS / drawn.x.length;
    expect(Math.abs((drawn.x[at] ?? 0) - SPIKE_STEP)).toBeLessThanOrEqual(bucketWidth * 1.5);
    expect(maxima.filter((m) => m > 1)).toHaveLength(1);
    expect(chart.yRange[1]).toBeGreaterThanOrEqual(SPIKE);
    expect(loggedMs, "logging 1M points through the SDK").toBeLessThan(45_000);

    // Drag across a quarter of the plot around the spike, again and again: each zoom asks the
    // server for that range; once it holds fewer points than buckets, they are drawn exactly
    // (consecutive steps around the spike, each its own point).
    const over = page.locator('[data-testid="chart"][data-key="signal"] .u-over');
    let current = chart;
    for (let zooms = 0; !exactAroundSpike(current.runs[0]?.x ?? []); zooms++) {
      const [x0, x1] = current.xRange;
      if (zooms === 8) throw new Error(`not exact after 8 zooms; showing steps ${x0}..${x1}`);
      // Measured at each zoom: the plot area moves when the y axis's labels change width.
      const box = await over.boundingBox();
      if (box === null) throw new Error("the signal chart has no plot area");
      const span = x1 - x0;
      const px = (x: number) => box.x + ((x - x0) / span) * box.width;
      const y = box.y + box.height / 2;
      // Entering the plot from outside makes uPlot measure where it is now (it caches that).
      await page.mouse.move(0, 0);
      await page.mouse.move(px(SPIKE_STEP - span / 8), y);
      await page.mouse.down();
      await page.mouse.move(px(SPIKE_STEP), y, { steps: 4 });
      await page.mouse.move(px(SPIKE_STEP + span / 8), y, { steps: 4 });
      await nextFrames(page);
      await page.mouse.up();
      // Zoomed and redrawn with the range's own points: the drawn x no longer reaches past the
      // range (the previous range's buckets do, hundreds of them), but for the two buckets of
      // padding the chart asks for on each side (chart-axes.ts), and a neighbour.
      await page.waitForFunction((limit) => {
        const zoomed = window.__stepwiseCharts?.["signal"];
        if (zoomed === undefined || zoomed.xRange[1] - zoomed.xRange[0] >= limit) return false;
        const [from, to] = zoomed.xRange;
        const x = zoomed.runs[0]?.x ?? [];
        return x.length > 0 && x.filter((step) => step < from || step > to).length <= 6;
      }, span * 0.75);
      current = await waitForChart(page, "signal", 1);
      expect(current.xRange[0]).toBeLessThanOrEqual(SPIKE_STEP);
      expect(current.xRange[1]).toBeGreaterThanOrEqual(SPIKE_STEP);
      // Visible at every zoom level.
      expect(Math.max(...(current.runs[0]?.max ?? []).map((m) => m ?? -Infinity))).toBe(SPIKE);
    }
    const exact = current.runs[0];
    if (exact === undefined) throw new Error("no run drawn after the zoom");
    expect(yAt(exact, SPIKE_STEP)).toBe(SPIKE);
    expect(yAt(exact, SPIKE_STEP - 1)).toBeCloseTo(signal(SPIKE_STEP - 1), 12);
    expect(yAt(exact, SPIKE_STEP + 1)).toBeCloseTo(signal(SPIKE_STEP + 1), 12);
  }, 120_000);
});

/** Waits two animation frames: what the page drew from the events sent so far is on screen. */
async function nextFrames(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
}

/** True when x holds SPIKE_STEP - 1, SPIKE_STEP and SPIKE_STEP + 1 in a row: one point per step. */
function exactAroundSpike(x: readonly number[]): boolean {
  const i = x.indexOf(SPIKE_STEP);
  return i > 0 && x[i - 1] === SPIKE_STEP - 1 && x[i + 1] === SPIKE_STEP + 1;
}
