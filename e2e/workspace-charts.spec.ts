/**
 * The workspace's charts: one per scalar metric in sections named by the key's prefix, no hidden
 * or `_` keys, charted values equal to what the SDK logged, x-axis switching, smoothing, tooltip.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { readChart, runIn, waitForChart, yAt } from "./support/charts.js";
import { useE2eFixture } from "./support/e2e-fixture.js";
import { VISION_PROJECT, VISION_RUNS, VISION_STEPS, trainLoss, valAcc } from "./support/vision-project.js";

const fx = useE2eFixture();
const WORKSPACE = `/local/${VISION_PROJECT}`;

function chartLocator(page: Page, key: string) {
  return page.locator(`[data-testid="chart"][data-key="${key}"]`);
}

/** Scrolls the chart into view (charts may draw only when visible) and waits for all runs. */
async function drawn(page: Page, key: string) {
  await chartLocator(page, key).scrollIntoViewIfNeeded();
  return waitForChart(page, key, VISION_RUNS.length);
}

describe("workspace charts", () => {
  it("groups one chart per scalar metric into sections train, val, a/b; hides hidden, _ and summary-only keys", async () => {
    const page = await fx.open(WORKSPACE);
    await page.locator('[data-testid="chart"]').first().waitFor();
    await page.locator('.chart-panels[data-keys="logged"]').waitFor(); // the server's keys are in
    const sections = await page
      .locator('[data-testid="panel-section"]')
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-section")));
    expect(sections).toEqual(expect.arrayContaining(["train", "val", "a/b"]));
    await expect(
      page.locator('[data-testid="panel-section"][data-section="a/b"]').innerText(),
    ).resolves.toContain("a/b");
    const keys = await page
      .locator('[data-testid="chart"]')
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-key")));
    expect([...keys].sort()).toEqual(["a/b/c", "sample", "train/acc", "train/loss", "val/acc"]);
    const inSection = async (section: string) =>
      page
        .locator(`[data-testid="panel-section"][data-section="${section}"] [data-testid="chart"]`)
        .evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-key")).sort());
    await expect(inSection("train")).resolves.toEqual(["train/acc", "train/loss"]);
    await expect(inSection("a/b")).resolves.toEqual(["a/b/c"]);
  });

  it("charts at known steps exactly the values the SDK logged, on _step by default", async () => {
    const page = await fx.open(WORKSPACE);
    const loss = await drawn(page, "train/loss");
    expect(loss.xAxis).toBe("_step");
    for (const spec of VISION_RUNS) {
      const run = runIn(loss, fx.runs()[spec.name]?.id ?? "");
      expect(run.x).toHaveLength(VISION_STEPS);
      for (const step of [0, 10, 57, VISION_STEPS - 1])
        expect(yAt(run, step)).toBeCloseTo(trainLoss(spec.scale, step), 12);
    }
    const acc = await drawn(page, "val/acc");
    const alpha = VISION_RUNS[0];
    if (alpha === undefined) throw new Error("no alpha");
    expect(yAt(runIn(acc, fx.runs()["alpha"]?.id ?? ""), VISION_STEPS - 1)).toBeCloseTo(
      valAcc(alpha.finalValAcc, VISION_STEPS - 1),
      12,
    );
    expect(acc.yRange[0]).toBeLessThanOrEqual(0);
    expect(acc.yRange[1]).toBeGreaterThanOrEqual(0.97);
  });

  it("switching the workspace x-axis to a logged metric redraws every chart against it", async () => {
    const page = await fx.open(WORKSPACE);
    await drawn(page, "train/loss");
    await page.locator('[data-testid="x-axis-select"]').selectOption("sample");
    await page.waitForFunction(() => window.__stepwiseCharts?.["train/loss"]?.xAxis === "sample");
    const loss = await waitForChart(page, "train/loss", VISION_RUNS.length);
    const alpha = runIn(loss, fx.runs()["alpha"]?.id ?? "");
    // sample = 10 × step, so step 10 is drawn at x = 100.
    expect(alpha.x.slice(0, 3)).toEqual([0, 10, 20]);
    expect(yAt(alpha, 100)).toBeCloseTo(trainLoss(1, 10), 12);
    expect(page.url()).toContain("x=sample");
  });

  it("EMA smoothing draws a smoothed line that differs from the raw one", async () => {
    const page = await fx.open(WORKSPACE);
    await drawn(page, "train/loss");
    await page.locator('[data-testid="smoothing-select"]').selectOption("ema");
    const weight = page.locator('[data-testid="smoothing-weight"]');
    await weight.fill("0.9");
    await weight.press("Enter");
    await page.waitForFunction(() =>
      (window.__stepwiseCharts?.["train/loss"]?.runs ?? []).some((r) => r.smoothed !== null),
    );
    const loss = await readChart(page, "train/loss");
    const alpha = runIn(loss, fx.runs()["alpha"]?.id ?? "");
    const smoothed = alpha.smoothed ?? [];
    expect(smoothed).toHaveLength(alpha.y.length);
    const differing = smoothed.filter((s, i) => s !== null && Math.abs(s - (alpha.y[i] ?? 0)) > 1e-6);
    expect(differing.length).toBeGreaterThan(VISION_STEPS / 2);
    expect(page.url()).toContain("smooth=ema");
  });

  it("hovering a chart shows a tooltip with every run's value at the cursor's step", async () => {
    const page = await fx.open(WORKSPACE);
    await drawn(page, "train/loss");
    const chart = chartLocator(page, "train/loss");
    const canvas = chart.locator("canvas").first();
    const box = await canvas.boundingBox();
    if (box === null) throw new Error("train/loss has no visible canvas");
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.move(box.x + box.width / 2 + 3, box.y + box.height / 2);
    const tooltip = chart.locator('[data-testid="chart-tooltip"]');
    await tooltip.waitFor({ state: "visible" });
    const rows = tooltip.locator('[data-testid="tooltip-row"]');
    const ids = await rows.evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-run-id")).sort());
    expect(ids).toEqual(VISION_RUNS.map((r) => fx.runs()[r.name]?.id).sort());
    // The header names the step under the cursor; each row holds that run's value (6 digits).
    const header = (await tooltip.innerText()).split("\n")[0] ?? "";
    const step = Number(/(\d+)\s*$/.exec(header)?.[1]);
    expect(step).toBeGreaterThan(0);
    for (const spec of VISION_RUNS) {
      const row = tooltip.locator(`[data-testid="tooltip-row"][data-run-id="${fx.runs()[spec.name]?.id}"]`);
      const value = Number(/-?\d+(\.\d+)?(e-?\d+)?\s*$/.exec(await row.innerText())?.[0]);
      expect(value).toBeCloseTo(trainLoss(spec.scale, step), 5);
    }
  });

  it("hiding a run in the table takes it out of every chart; the choice is in the URL", async () => {
    const page = await fx.open(WORKSPACE);
    await drawn(page, "train/loss");
    const alphaId = fx.runs()["alpha"]?.id ?? "";
    await page
      .locator(`[data-testid="run-row"][data-run-id="${alphaId}"] [data-testid="run-visibility"]`)
      .click();
    await page.waitForFunction((alphaId) => {
      const runs = window.__stepwiseCharts?.["train/loss"]?.runs ?? [];
      return runs.length === 3 && runs.every((r) => r.runId !== alphaId);
    }, alphaId);
    expect(page.url()).toContain(`hidden=${alphaId}`);
  });

  it("the log toggle of a chart puts it on a log scale, in the URL", async () => {
    const page = await fx.open(WORKSPACE);
    await drawn(page, "a/b/c");
    const toggle = chartLocator(page, "a/b/c").locator('[data-testid="chart-log-toggle"]');
    await toggle.click();
    await page.waitForFunction(() => decodeURIComponent(location.search).includes("logy=a/b/c"));
    await expect(toggle.getAttribute("aria-pressed")).resolves.toBe("true");
  });
});
