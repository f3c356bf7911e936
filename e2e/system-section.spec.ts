/**
 * The System section: a finished run that sampled system metrics every 200 ms; its workspace and
 * its run page show a chart per metric (W&B's names), drawn from the server's samples, against
 * relative time and, switched, wall time.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { readCharts } from "./support/charts.js";
import { useE2eFixture } from "./support/e2e-fixture.js";
import { startSurroundingsRun } from "./support/surroundings-run.js";

const fx = useE2eFixture({ vision: false });
let dir = "";

afterAll(async () => {
  if (dir !== "") await rm(dir, { recursive: true, force: true });
});

interface Samples {
  samples: Array<Record<string, number>>;
  keys: string[];
}

async function serverSamples(runId: string): Promise<Samples> {
  const response = await fetch(`${fx.server().url}/api/v1/runs/local/sys/${runId}/system?samples=500`);
  return (await response.json()) as Samples;
}

async function chartOf(
  page: Page,
  key: string,
): Promise<{ x: number[]; y: Array<number | null>; xAxis: string }> {
  await page.waitForFunction((k) => (window.__stepwiseCharts?.[k]?.runs.length ?? 0) > 0, `system:${key}`);
  const chart = (await readCharts(page))[`system:${key}`];
  const run = chart?.runs[0];
  if (chart === undefined || run === undefined) throw new Error(`no chart for ${key}`);
  return { x: run.x, y: run.y, xAxis: chart.xAxis };
}

describe("System section", () => {
  it("charts each system metric of a run in the workspace and on the run page, against relative and wall time", async () => {
    dir = await mkdtemp(join(tmpdir(), "stepwise-e2e-system-"));
    const run = await startSurroundingsRun(fx.server(), dir, "sys", "done");
    await run.done;
    const { samples, keys } = await serverSamples(run.id);
    expect(samples.length).toBeGreaterThanOrEqual(5);
    expect(keys).toContain("system.cpu");
    expect(keys).toContain("system.proc.memory.rssMB");

    const page = await fx.open("/local/sys");
    const section = page.locator('[data-testid="system-section"]');
    await section.locator('[data-testid="system-chart"][data-key="system.cpu"]').waitFor();
    await expect(
      section.locator('[data-testid="system-chart"][data-key="system.cpu"] .chart-title').innerText(),
    ).resolves.toBe("system/cpu");
    await expect(
      section.locator('[data-testid="system-chart"][data-key="system.proc.memory.rssMB"] canvas').count(),
    ).resolves.toBeGreaterThan(0);
    // The chart's points are the server's samples: relative time, then wall time.
    const rss = await chartOf(page, "system.proc.memory.rssMB");
    expect(rss.xAxis).toBe("_runtime");
    expect(rss.x).toEqual(samples.map((s) => s["_runtime"]));
    expect(rss.y).toEqual(samples.map((s) => s["system.proc.memory.rssMB"]));
    await section.locator('select[aria-label="System x-axis"]').selectOption("_timestamp");
    await page.waitForFunction(() => window.__stepwiseCharts?.["system:system.cpu"]?.xAxis === "_timestamp");
    const cpu = await chartOf(page, "system.cpu");
    expect(cpu.x).toEqual(samples.map((s) => s["_timestamp"]));
    expect(cpu.y).toEqual(samples.map((s) => s["system.cpu"]));
    // Per-core charts are a closed section of their own.
    await expect(
      section.locator('[data-testid="panel-section"][data-section="CPU cores"]').getAttribute("data-open"),
    ).resolves.toBe("false");

    const runPage = await fx.open(`/local/sys/runs/${run.id}`);
    const onRun = runPage.locator('[data-testid="system-section"]');
    await onRun.locator('[data-testid="system-chart"][data-key="system.memory"]').waitFor();
    const memory = await chartOf(runPage, "system.memory");
    expect(memory.y).toEqual(samples.map((s) => s["system.memory"]));
  }, 60_000);
});
