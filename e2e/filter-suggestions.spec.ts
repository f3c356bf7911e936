/**
 * The README's `defineMetric("val/acc", { summary: "max" })` stores `{ "val/acc": { max } }`, so
 * `summary.val/acc > 0.9` matched nothing with no word. The filter box suggests the project's
 * real paths as you type (`summary.val/acc.max`), so does the add-column box, the filter says
 * what a key holding an object holds, and
 * the table shows nested summary values as values, not raw JSON.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { useE2eFixture } from "./support/e2e-fixture.js";
import { logRuns } from "./support/log-runs.js";

const fx = useE2eFixture({ vision: false });
const PROJECT = "readme-example";

beforeAll(async () => {
  await logRuns(
    fx.server(),
    [0.95, 0.6].map((best, i) => ({
      project: PROJECT,
      name: `run-${i}`,
      config: { lr: 0.001, optimizer: { name: "adam" } },
      metrics: { "val/acc": { summary: "max" } },
      logSteps(run) {
        for (const acc of [best / 2, best, best - 0.1]) run.log({ "val/acc": acc });
      },
    })),
  );
});

describe("filter path suggestions", () => {
  it("typing summary.val/acc suggests summary.val/acc.max, which then matches", async () => {
    const page = await fx.open(`/local/${PROJECT}`);
    await page.locator('[data-testid="run-row"]').nth(1).waitFor();
    const filter = page.locator('[data-testid="filter-input"]');
    await filter.click();
    await filter.pressSequentially("summary.val/a");
    const options = page.locator('[data-testid="filter-path-options"] option');
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="filter-path-options"] option').length > 0,
    );
    const values = await options.evaluateAll((nodes) => nodes.map((n) => (n as HTMLOptionElement).value));
    expect(values).toEqual(["summary.val/acc.max"]);
    await expect(filter.getAttribute("list")).resolves.toBe("filter-path-options");
    // After `and`, config paths (nested ones dotted) are offered too.
    await filter.fill("");
    await filter.pressSequentially("state = finished and config.opt");
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="filter-path-options"] option')?.getAttribute("value") ===
        "state = finished and config.optimizer.name",
    );
    await filter.fill("summary.val/acc.max > 0.9");
    await filter.press("Enter");
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="run-row"]').length === 1);
    await expect(page.locator('[data-testid="run-name"]').innerText()).resolves.toBe("run-0");
  });

  it("a filter on a key that holds an object says which paths are under it", async () => {
    const page = await fx.open(`/local/${PROJECT}`);
    await page.locator('[data-testid="run-row"]').nth(1).waitFor();
    const filter = page.locator('[data-testid="filter-input"]');
    await filter.fill("summary.val/acc > 0.9");
    await filter.press("Enter");
    const hint = page.locator('[data-testid="filter-hint"]');
    await hint.waitFor();
    await expect(hint.innerText()).resolves.toBe("summary.val/acc holds max: filter on summary.val/acc.max");
  });

  it("the add-column box suggests the real config and summary paths, and the added column shows values", async () => {
    const page = await fx.open(`/local/${PROJECT}`);
    await page.locator('[data-testid="run-row"]').nth(1).waitFor();
    const input = page.locator('[data-testid="add-column"]');
    await input.focus();
    await page.waitForFunction(() => document.querySelectorAll("#runs-column-options option").length > 0);
    const options = await page
      .locator("#runs-column-options option")
      .evaluateAll((nodes) => nodes.map((n) => (n as HTMLOptionElement).value));
    expect(options).toEqual(
      expect.arrayContaining(["config.lr", "config.optimizer.name", "summary.val/acc.max"]),
    );
    expect(options).not.toContain("summary.val/acc");
    await input.fill("summary.val/acc.max");
    await input.press("Enter");
    await page.locator('[data-testid="col-header"][data-col="summary.val/acc.max"]').waitFor();
    const rows = await page.locator('[data-testid="run-row"]').allInnerTexts();
    expect(rows.join("\n")).toContain("0.95");
    expect(rows.join("\n")).toContain("0.6");
    expect(rows.join("\n")).not.toContain("{");
  });

  it("a nested summary column shows its values, not JSON", async () => {
    const page = await fx.open(`/local/${PROJECT}?cols=summary.val/acc`);
    await page.locator('[data-testid="col-header"][data-col="summary.val/acc"]').waitFor();
    await page.locator('[data-testid="run-row"]').nth(1).waitFor();
    const rows = await page.locator('[data-testid="run-row"]').allInnerTexts();
    expect(rows.join("\n")).toContain("max 0.95");
    expect(rows.join("\n")).toContain("max 0.6");
    expect(rows.join("\n")).not.toContain("{");
  });
});
