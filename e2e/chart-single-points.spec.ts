/**
 * A metric logged once draws a marker (a line needs two points, so it drew nothing), and a
 * metric logged only as NaN/±Infinity says so instead of an empty plot.
 */
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { waitForChart } from "./support/charts.js";
import { useE2eFixture } from "./support/e2e-fixture.js";
import { logRuns, type LoggedRun } from "./support/log-runs.js";

const fx = useE2eFixture({ vision: false });
const PROJECT = "first-hour";
let run: LoggedRun;

beforeAll(async () => {
  [run] = (await logRuns(fx.server(), [
    {
      project: PROJECT,
      name: "once",
      logSteps(r) {
        r.log({ "test/acc": 0.875, "bad/loss": Number.NaN });
        for (const value of [Number.POSITIVE_INFINITY, Number.NaN, Number.NEGATIVE_INFINITY])
          r.log({ "bad/loss": value });
      },
    },
  ])) as [LoggedRun];
});

function chart(page: Page, key: string) {
  return page.locator(`[data-testid="chart"][data-key="${key}"]`);
}

/** Pixels of the chart's canvas in a saturated colour (runs' colours; axes and grid are grey). */
async function colouredPixels(page: Page, key: string): Promise<number> {
  return chart(page, key)
    .locator("canvas")
    .first()
    .evaluate((canvas: HTMLCanvasElement) => {
      const context = canvas.getContext("2d");
      if (context === null) return -1;
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      let count = 0;
      for (let i = 0; i < data.length; i += 4) {
        const [r, g, b, a] = [data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0, data[i + 3] ?? 0];
        if (a > 200 && Math.max(r, g, b) - Math.min(r, g, b) > 80) count++;
      }
      return count;
    });
}

describe("charts of single points and non-finite values", () => {
  it("a metric logged once is drawn as a marker at the logged value", async () => {
    const page = await fx.open(`/local/${PROJECT}`);
    await chart(page, "test/acc").scrollIntoViewIfNeeded();
    const drawn = await waitForChart(page, "test/acc", 1);
    expect(drawn.runs.map((r) => [r.runId, r.x, r.y])).toEqual([[run.id, [0], [0.875]]]);
    // The marker: a disc of the run's colour, MARKER_SIZE (7 px) across at the device's scale.
    const pixels = await colouredPixels(page, "test/acc");
    expect(pixels).toBeGreaterThanOrEqual(20);
    expect(drawn.yRange[0]).toBeLessThan(0.875);
    expect(drawn.yRange[1]).toBeGreaterThan(0.875);
  });

  it("a metric logged only as NaN/±Infinity says 'only NaN/Inf values'", async () => {
    const page = await fx.open(`/local/${PROJECT}`);
    await chart(page, "bad/loss").scrollIntoViewIfNeeded();
    const notice = chart(page, "bad/loss").locator('[data-testid="chart-notice"]');
    await notice.waitFor();
    await expect(notice.innerText()).resolves.toBe("only NaN/Inf values");
    await expect(chart(page, "bad/loss").locator("canvas").count()).resolves.toBe(0);
  });

  it("the run page's charts do the same", async () => {
    const page = await fx.open(`/local/${PROJECT}/runs/${run.id}`);
    await chart(page, "bad/loss").locator('[data-testid="chart-notice"]').waitFor();
    await chart(page, "test/acc").scrollIntoViewIfNeeded();
    await waitForChart(page, "test/acc", 1);
    expect(await colouredPixels(page, "test/acc")).toBeGreaterThanOrEqual(20);
  });
});
