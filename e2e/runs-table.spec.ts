/** The runs table: filter expressions, name search, sorting by a column header. */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useE2eFixture } from "./support/e2e-fixture.js";
import { VISION_PROJECT, VISION_RUNS } from "./support/vision-project.js";

const fx = useE2eFixture();
const WORKSPACE = `/local/${VISION_PROJECT}`;

async function openTable(path = WORKSPACE): Promise<Page> {
  const page = await fx.open(path);
  await page.locator('[data-testid="run-row"]').first().waitFor();
  return page;
}

async function rowNames(page: Page): Promise<string[]> {
  return (await page.locator('[data-testid="run-row"] [data-testid="run-name"]').allInnerTexts()).map((t) =>
    t.trim(),
  );
}

async function waitForRowCount(page: Page, count: number): Promise<void> {
  await page.waitForFunction(
    (count) => document.querySelectorAll('[data-testid="run-row"]').length === count,
    count,
  );
}

describe("runs table", () => {
  it("lists every run with its state badge and a link to its page", async () => {
    const page = await openTable();
    await waitForRowCount(page, VISION_RUNS.length);
    expect((await rowNames(page)).sort()).toEqual(["alpha", "beta", "delta", "gamma"]);
    const badges = await page.locator('[data-testid="run-row"] [data-testid="state-badge"]').allInnerTexts();
    expect(badges.map((b) => b.trim().toLowerCase())).toEqual(VISION_RUNS.map(() => "finished"));
    await expect(page.locator('[data-testid="runs-count"]').innerText()).resolves.toContain("4");
    const alphaId = fx.runs()["alpha"]?.id ?? "";
    await page
      .locator(`[data-testid="run-row"][data-run-id="${alphaId}"] [data-testid="run-name"] a`)
      .click();
    await page.waitForURL(`**/local/${VISION_PROJECT}/runs/${alphaId}`);
  });

  it("a filter expression narrows the rows to the matching runs and lands in the URL", async () => {
    const page = await openTable();
    const filter = page.locator('[data-testid="filter-input"]');
    await filter.fill("config.lr < 0.01 and summary.val/acc > 0.9");
    await filter.press("Enter");
    await waitForRowCount(page, 2);
    expect((await rowNames(page)).sort()).toEqual(["alpha", "delta"]);
    await expect(page.locator('[data-testid="runs-count"]').innerText()).resolves.toContain("2");
    expect(decodeURIComponent(page.url())).toContain("config.lr");
    // The view is addressable: the same URL in a new page shows the same rows.
    const again = await fx.open(new URL(page.url()).pathname + new URL(page.url()).search);
    await waitForRowCount(again, 2);
  });

  it("an expression that does not parse shows an error naming the problem", async () => {
    const page = await openTable();
    const filter = page.locator('[data-testid="filter-input"]');
    await filter.fill("config.lr <");
    await filter.press("Enter");
    const error = page.locator('[data-testid="filter-error"]');
    await error.waitFor({ state: "visible" });
    expect((await error.innerText()).length).toBeGreaterThan(5);
  });

  it("name search keeps the runs whose name contains the text", async () => {
    const page = await openTable();
    await page.locator('[data-testid="run-search"]').fill("gam");
    await waitForRowCount(page, 1);
    expect(await rowNames(page)).toEqual(["gamma"]);
  });

  it("clicking a column header sorts by it, clicking again reverses", async () => {
    const page = await openTable();
    await waitForRowCount(page, VISION_RUNS.length);
    const header = page.locator('[data-testid="col-header"][data-col="name"]');
    await header.click();
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="run-row"] [data-testid="run-name"]')?.textContent?.trim() ===
        "alpha",
    );
    expect(await rowNames(page)).toEqual(["alpha", "beta", "delta", "gamma"]);
    await header.click();
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="run-row"] [data-testid="run-name"]')?.textContent?.trim() ===
        "gamma",
    );
    expect(await rowNames(page)).toEqual(["gamma", "delta", "beta", "alpha"]);
  });

  it("sorts by a summary column added to the table", async () => {
    const page = await openTable(`${WORKSPACE}?cols=summary.val/acc&sort=-summary.val/acc`);
    await page.locator('[data-testid="col-header"][data-col="summary.val/acc"]').waitFor();
    await waitForRowCount(page, VISION_RUNS.length);
    // val/acc: gamma 0.97 > alpha 0.95 > delta 0.93 > beta 0.85.
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="run-row"] [data-testid="run-name"]')?.textContent?.trim() ===
        "gamma",
    );
    expect(await rowNames(page)).toEqual(["gamma", "alpha", "delta", "beta"]);
  });

  it("groups the rows by the run group, each group header with its size", async () => {
    const page = await openTable();
    await page.locator('[data-testid="group-by"]').selectOption("group");
    const groups = page.locator('[data-testid="group-row"]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="group-row"]').length === 2);
    await expect(
      groups.evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-group"))),
    ).resolves.toEqual(["g1", "g2"]);
    for (const text of await groups.allInnerTexts()) expect(text).toMatch(/\b2\b/);
    expect(page.url()).toContain("groupBy=group");
  });
});
