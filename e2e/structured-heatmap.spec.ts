/**
 * Histograms in Chromium against a real server, seeded with W&B's history shape
 * (`{"_type":"histogram","values":[counts],"bins":[edges]}`): a histogram key is a heatmap over
 * steps whose tooltip and canvas pixels show the logged bin counts at a step; a drag zooms it;
 * a key that changed from numbers to histograms is shown with a warning; the summary's
 * histogram is drawn as bars on the run page and in the runs table.
 */
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { HEATMAP_RAMP, rampIndex } from "../packages/web/src/lib/heatmap-colors.js";
import { useE2eFixture } from "./support/e2e-fixture.js";
import { seeder, type HeatmapEntry } from "./support/structured-seed.js";

const fx = useE2eFixture({ vision: false });
const PROJECT = "heatmap-e2e";
const seed = seeder(() => fx.server(), PROJECT);
const STEPS = 40;
const EDGES = [0, 1, 2, 3, 4];
/** The counts logged at `step`: every bin different, so a wrong bin or step shows. */
const countsAt = (step: number): number[] => [step, STEPS - step, step % 5, 7];
const histogram = (step: number) => ({ _type: "histogram", values: countsAt(step), bins: EDGES });

beforeAll(async () => {
  const rows = Array.from({ length: STEPS }, (_, step) => ({
    _step: step,
    loss: 1 / (step + 1),
    epoch: step / 10,
    // A number key that later held text: its line chart stays, with a warning.
    "train/flaky": step < 30 ? step / 100 : "diverged",
    "weights/dist": histogram(step),
    // Numbers first, then histograms: the key changed kind.
    "grads/changing": step < STEPS / 2 ? step / 10 : histogram(step),
  }));
  await seed.ingest("hist", {
    run: { name: "hist-run", config: { lr: 0.1 } },
    history: { offset: 0, rows },
    summary: {
      loss: 1 / STEPS,
      "weights/dist": histogram(STEPS - 1),
      "grads/changing": histogram(STEPS - 1),
      _step: STEPS - 1,
    },
  });
});

const heatmapId = (key: string) => `${key}|hist`;

/** What the tests read of a drawn heatmap (its functions stay in the page). */
type Drawn = Pick<HeatmapEntry, "frames" | "xRange" | "yRange">;

async function drawnHeatmap(page: Page, key: string): Promise<Drawn> {
  const panel = page.locator(`[data-testid="histogram-panel"][data-key="${key}"]`);
  await panel.waitFor();
  await panel.scrollIntoViewIfNeeded();
  const id = heatmapId(key);
  await page.waitForFunction((id) => (window.__stepwiseHeatmaps?.[id]?.frames ?? 0) > 0, id, {
    timeout: 15_000,
  });
  return page.evaluate((id) => {
    const entry = window.__stepwiseHeatmaps?.[id];
    if (entry === undefined) throw new Error("not drawn");
    return { frames: entry.frames, xRange: entry.xRange, yRange: entry.yRange };
  }, id);
}

/** Page coordinates of data point (x, y) in the heatmap's plot area. */
async function pointAt(page: Page, key: string, entry: Drawn, x: number, y: number) {
  const over = page.locator(`[data-heatmap-id="${heatmapId(key)}"] .u-over`);
  const box = await over.boundingBox();
  if (box === null) throw new Error("heatmap not laid out");
  const [x0, x1] = entry.xRange;
  const [y0, y1] = entry.yRange;
  return { x: box.x + ((x - x0) / (x1 - x0)) * box.width, y: box.y + ((y1 - y) / (y1 - y0)) * box.height };
}

describe("histogram heatmap", () => {
  it("draws one column per logged step; the tooltip names the step, the bin and its logged count", async () => {
    const page = await fx.open(`/local/${PROJECT}`);
    const entry = await drawnHeatmap(page, "weights/dist");
    expect(entry.frames).toBe(STEPS);
    expect(entry.yRange).toEqual([0, 4]);
    for (const [step, value, bin] of [
      [10, 1.5, 1],
      [25, 0.5, 0],
      [33, 2.5, 2],
    ] as const) {
      const at = await pointAt(page, "weights/dist", entry, step + 0.5, value);
      await page.mouse.move(at.x, at.y);
      const tooltip = page.locator('[data-testid="heatmap-tooltip"]');
      await page.waitForFunction(
        (step) => document.querySelector(`[data-testid="heatmap-tooltip"][data-step="${step}"]`) !== null,
        step,
      );
      const row = tooltip.locator('[data-testid="heatmap-bin"]');
      await expect(row.getAttribute("data-bin")).resolves.toBe(String(bin));
      await expect(row.getAttribute("data-count")).resolves.toBe(String(countsAt(step)[bin]));
    }
  });

  it("colours each cell by its count: the canvas pixel at a step and bin is the ramp's colour for the logged count", async () => {
    const page = await fx.open(`/local/${PROJECT}`);
    const entry = await drawnHeatmap(page, "weights/dist");
    const max = Math.max(...Array.from({ length: STEPS }, (_, s) => Math.max(...countsAt(s))));
    for (const [step, bin] of [
      [10, 1],
      [30, 1],
      [12, 3],
    ] as const) {
      const at = await pointAt(page, "weights/dist", entry, step + 0.5, bin + 0.5);
      const pixel = await page.evaluate(
        ({ id, x, y }) => {
          const canvas = document.querySelector(`[data-heatmap-id="${id}"] canvas`) as HTMLCanvasElement;
          const rect = canvas.getBoundingClientRect();
          const ratio = canvas.width / rect.width;
          const ctx = canvas.getContext("2d") as CanvasRenderingContext2D;
          return [
            ...ctx.getImageData(Math.floor((x - rect.left) * ratio), Math.floor((y - rect.top) * ratio), 1, 1)
              .data,
          ];
        },
        { id: heatmapId("weights/dist"), x: at.x, y: at.y },
      );
      const expected = HEATMAP_RAMP[rampIndex(countsAt(step)[bin] as number, max)] as readonly number[];
      expect(pixel).toEqual([...expected, 255]);
    }
  });

  it("puts the columns at another metric's values when the chart's x-axis is that metric", async () => {
    const page = await fx.open(`/local/${PROJECT}?px=${encodeURIComponent("weights/dist~epoch")}`);
    const entry = await drawnHeatmap(page, "weights/dist");
    expect(entry.frames).toBe(STEPS);
    expect(entry.xRange[0]).toBeCloseTo(0, 5);
    expect(entry.xRange[1]).toBeCloseTo((STEPS - 1) / 10 + 0.1, 5);
    // epoch 2.05 lies in step 20's column.
    const at = await pointAt(page, "weights/dist", entry, 2.05, 1.5);
    await page.mouse.move(at.x, at.y);
    await page.locator('[data-testid="heatmap-tooltip"][data-step="20"]').waitFor();
    await expect(page.locator('[data-testid="heatmap-bin"]').getAttribute("data-count")).resolves.toBe(
      String(countsAt(20)[1]),
    );
  });

  it("zooms into a dragged step range and back with Reset zoom", async () => {
    const page = await fx.open(`/local/${PROJECT}`);
    const entry = await drawnHeatmap(page, "weights/dist");
    const from = await pointAt(page, "weights/dist", entry, 10, 2);
    const to = await pointAt(page, "weights/dist", entry, 20, 2);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction((id) => {
      const range = window.__stepwiseHeatmaps?.[id]?.xRange;
      return range !== undefined && range[1] - range[0] < 12;
    }, heatmapId("weights/dist"));
    const zoomed = await page.evaluate(
      (id) => window.__stepwiseHeatmaps?.[id]?.xRange,
      heatmapId("weights/dist"),
    );
    expect(zoomed?.[0]).toBeCloseTo(10, 0);
    expect(zoomed?.[1]).toBeCloseTo(20, 0);
    await page.locator('[data-testid="histogram-panel"] button', { hasText: "Reset zoom" }).click();
    await page.waitForFunction(
      (id) => (window.__stepwiseHeatmaps?.[id]?.xRange[1] ?? 0) >= 40,
      heatmapId("weights/dist"),
    );
  });

  it("shows a key whose values changed from numbers to histograms with a warning, and still draws it", async () => {
    const page = await fx.open(`/local/${PROJECT}`);
    const panel = page.locator('[data-key="grads/changing"]').first();
    await panel.waitFor();
    const warning = panel.locator('[data-testid="kind-warning"]');
    await warning.waitFor({ timeout: 15_000 });
    const text = await warning.innerText();
    expect(text).toContain("numbers");
    expect(text).toContain("histograms");
    // Its histograms (steps 20–39) are drawn as a heatmap.
    const entry = await drawnHeatmap(page, "grads/changing");
    expect(entry.frames).toBe(STEPS / 2);
  });

  it("keeps the line chart of a number key that later held text, with a warning", async () => {
    const page = await fx.open(`/local/${PROJECT}`);
    const card = page.locator('.kind-warned:has([data-testid="chart"][data-key="train/flaky"])');
    await card.waitFor({ timeout: 15_000 });
    const text = await card.locator('[data-testid="kind-warning"]').innerText();
    expect(text).toContain("numbers at steps 0–29");
    expect(text).toContain("strings at steps 30–39");
  });

  it("draws the summary's histogram as bars on the run page and in the runs table", async () => {
    const page = await fx.open(`/local/${PROJECT}/runs/hist`);
    const bars = page.locator(
      '[data-testid="summary-table"] [data-key="weights/dist"] [data-testid="histogram-bars"]',
    );
    await bars.waitFor();
    await expect(bars.getAttribute("data-counts")).resolves.toBe(countsAt(STEPS - 1).join(","));
    await expect(bars.locator("rect").count()).resolves.toBe(4);
    const table = await fx.open(`/local/${PROJECT}?cols=${encodeURIComponent("summary.weights/dist")}`);
    const cell = table.locator('[data-testid="run-row"][data-run-id="hist"] [data-testid="histogram-bars"]');
    await cell.waitFor();
    await expect(cell.getAttribute("data-counts")).resolves.toBe(countsAt(STEPS - 1).join(","));
  });
});
