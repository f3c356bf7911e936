/**
 * The table panel in Chromium against a real server, seeded as W&B logs tables (a `table-file`
 * history value, its `{columns, data}` JSON and the images of its cells uploaded as run files):
 * sort by a column, a filter expression, image cells, the step slider across versions, group by,
 * hidden columns, two runs side by side and the CSV export — each checked against the rows logged.
 */
import type { Page } from "playwright-core";
import { parquetReadObjects } from "hyparquet";
import { beforeAll, describe, expect, it } from "vitest";
import { useE2eFixture } from "./support/e2e-fixture.js";
import { seeder, solidPng } from "./support/structured-seed.js";

const fx = useE2eFixture({ vision: false });
const PROJECT = "table-e2e";
const seed = seeder(() => fx.server(), PROJECT);
const COLUMNS = ["id", "label", "score", "image"];
const LABELS = ["cat", "dog", "bird"];
const imagePath = (run: string, i: number) => `media/images/${run}_cell_${i}.png`;
/** Rows of a version: every score different; every 10th row holds an image. */
function rowsOf(run: string, count: number): unknown[][] {
  return Array.from({ length: count }, (_, i) => [
    i,
    LABELS[i % 3],
    ((i * 37) % count) / count,
    i % 10 === 3
      ? { _type: "image-file", path: imagePath(run, i), width: 4, height: 4, format: "png" }
      : null,
  ]);
}
const LATEST = rowsOf("tab", 30);
const FIRST = rowsOf("tab", 20);

beforeAll(async () => {
  for (const [run, latest] of [
    ["tab", 30],
    ["tab2", 12],
  ] as const) {
    await seed.ingest(run, { run: { name: `${run}-run` } });
    const v0 = await seed.table(run, "preds", 0, COLUMNS, rowsOf(run, 20));
    const v5 = await seed.table(run, "preds", 5, COLUMNS, rowsOf(run, latest));
    for (const [i, row] of rowsOf(run, 30).entries())
      if (row[3] !== null)
        await seed.putFile(run, imagePath(run, i), solidPng(4, 4, [200, 30, 30]), "image/png");
    await seed.ingest(run, {
      history: {
        offset: 0,
        rows: [
          { _step: 0, loss: 1, preds: v0 },
          { _step: 5, loss: 0.5, preds: v5 },
        ],
      },
      summary: { loss: 0.5, preds: v5, _step: 5 },
    });
  }
});

async function openPanel(hidden = "tab2"): Promise<Page> {
  const page = await fx.open(`/local/${PROJECT}?hidden=${hidden}`);
  await page
    .locator('[data-testid="table-panel"][data-key="preds"] [data-testid="table-row"][data-row-index]')
    .first()
    .waitFor({ timeout: 15_000 });
  return page;
}

const grid = (page: Page, run = "tab") => page.locator(`[data-testid="run-table"][data-run-id="${run}"]`);

async function column(page: Page, name: string, run = "tab"): Promise<string[]> {
  return grid(page, run)
    .locator(`[data-testid="table-row"][data-row-index] [data-column="${name}"]`)
    .evaluateAll((cells) => cells.map((c) => c.getAttribute("title") ?? c.textContent ?? ""));
}

async function matched(page: Page, run = "tab"): Promise<number> {
  const count = grid(page, run).locator('[data-testid="table-count"]');
  await count.locator("xpath=self::*[@data-matched!='']").waitFor();
  return Number(await count.getAttribute("data-matched"));
}

describe("table panel", () => {
  it("shows the latest version's rows and sorts by a column, ascending then descending", async () => {
    const page = await openPanel();
    expect(await matched(page)).toBe(LATEST.length);
    const scores = LATEST.map((r) => r[2] as number);
    await grid(page).locator('[data-testid="table-column"][data-column="score"]').click();
    await expect
      .poll(async () => (await column(page, "score")).slice(0, 5).map(Number))
      .toEqual([...scores].sort((a, b) => a - b).slice(0, 5));
    await grid(page).locator('[data-testid="table-column"][data-column="score"]').click();
    await expect
      .poll(async () => (await column(page, "score")).slice(0, 5).map(Number))
      .toEqual([...scores].sort((a, b) => b - a).slice(0, 5));
  });

  it("filters with an expression; one that does not parse says where, and the rows stay", async () => {
    const page = await openPanel();
    const filter = page.locator('[data-testid="table-panel"][data-key="preds"] [data-testid="table-filter"]');
    await filter.fill('label = "cat" and score > 0.5');
    await filter.press("Enter");
    const expected = LATEST.filter((r) => r[1] === "cat" && (r[2] as number) > 0.5);
    await expect.poll(() => matched(page)).toBe(expected.length);
    await expect.poll(() => column(page, "id")).toEqual(expected.map((r) => String(r[0])));
    await filter.fill("label = ");
    await page.locator('[data-testid="table-filter-error"]').waitFor();
    await filter.press("Enter");
    expect(await matched(page)).toBe(expected.length);
  });

  it("renders image cells from the run's files", async () => {
    const page = await openPanel();
    const images = grid(page).locator('[data-testid="table-image"]');
    await images.first().waitFor();
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('[data-testid="table-image"]')].every(
        (img) => img.complete && img.naturalWidth > 0,
      ),
    );
    const shown = await images.evaluateAll((imgs) =>
      imgs.map((img) => ({
        src: decodeURIComponent((img as HTMLImageElement).src),
        width: (img as HTMLImageElement).naturalWidth,
      })),
    );
    const logged = LATEST.filter((r) => r[3] !== null).map((r) => imagePath("tab", r[0] as number));
    expect(shown.length).toBeGreaterThan(0);
    for (const { src, width } of shown) {
      expect(logged.some((path) => src.endsWith(path))).toBe(true);
      expect(width).toBe(4);
    }
  });

  it("steps back to an earlier version with the slider, groups by a column and hides a column", async () => {
    const page = await openPanel();
    const slider = page.locator('[data-testid="table-panel"][data-key="preds"] [data-testid="table-step"]');
    await slider.fill("0");
    await expect.poll(() => grid(page).getAttribute("data-step")).toBe("0");
    await expect.poll(() => matched(page)).toBe(FIRST.length);

    await page.locator('[data-testid="table-columns-menu"]').click();
    await page.locator('[data-testid="table-column-toggle"][data-column="image"]').uncheck();
    await expect
      .poll(() => grid(page).locator('[data-testid="table-column"][data-column="image"]').count())
      .toBe(0);

    await page.locator('[data-testid="table-group-by"]').selectOption("label");
    const groups = page.locator('[data-testid="table-group"]');
    await groups.first().waitFor();
    const counts = await groups.evaluateAll((rows) =>
      rows.map((r) => [r.firstElementChild?.textContent, Number(r.getAttribute("data-count"))]),
    );
    const expected = LABELS.map((label) => [label, FIRST.filter((r) => r[1] === label).length]);
    expect([...counts].sort()).toEqual([...expected].sort());
  });

  it("compares the same table key of two runs side by side", async () => {
    const page = await fx.open(`/local/${PROJECT}`);
    await grid(page, "tab").waitFor({ timeout: 15_000 });
    await grid(page, "tab2").waitFor();
    await expect.poll(() => matched(page, "tab")).toBe(30);
    await expect.poll(() => matched(page, "tab2")).toBe(12);
  });

  it("exports what the panel shows as Parquet: filtered, sorted, without hidden columns", async () => {
    const page = await openPanel();
    const filter = page.locator('[data-testid="table-panel"][data-key="preds"] [data-testid="table-filter"]');
    await filter.fill('label != "bird"');
    await filter.press("Enter");
    await grid(page).locator('[data-testid="table-column"][data-column="score"]').click();
    await grid(page).locator('[data-testid="table-column"][data-column="score"]').click();
    await page.locator('[data-testid="table-columns-menu"]').click();
    await page.locator('[data-testid="table-column-toggle"][data-column="image"]').uncheck();
    const link = page.locator('[data-testid="table-export-parquet"]');
    await expect.poll(() => link.getAttribute("href")).toContain("columns=");
    const response = await fetch(`${fx.server().url}${await link.getAttribute("href")}`, {
      headers: { authorization: `Bearer ${fx.server().adminKey}` },
    });
    expect(response.status).toBe(200);
    const rows = await parquetReadObjects({ file: await response.arrayBuffer() });
    const expected = LATEST.filter((r) => r[1] !== "bird")
      .sort((a, b) => (b[2] as number) - (a[2] as number))
      .map(([id, label, score]) => ({ id, label, score }));
    expect(rows).toEqual(expected);
  });

  it("exports the version as CSV with the logged rows", async () => {
    const page = await openPanel();
    const href = await page.locator('[data-testid="table-export-csv"]').first().getAttribute("href");
    expect(href).toContain("format=csv");
    const response = await fetch(`${fx.server().url}${href}`, {
      headers: { authorization: `Bearer ${fx.server().adminKey}` },
    });
    expect(response.status).toBe(200);
    const lines = (await response.text()).trim().split(/\r?\n/);
    expect(lines[0]).toContain("label");
    expect(lines.length).toBe(LATEST.length + 1);
  });
});
