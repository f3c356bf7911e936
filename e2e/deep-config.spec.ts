/**
 * A deeply nested config never blanks the run page (issue 8, item 5): a run whose config and
 * summary hold a value nested 100 levels deep (the limit the SDK and server accept), logged with
 * the real SDK, opens with its overview and tables; the deep value is cut into an expandable row,
 * and expanding it level by level reaches the leaf the test logged, with no page error.
 * (Values deeper than the limit, stored before it existed, are flattened by the same iterative
 * code: packages/web/test/lib/flatten-values.test.ts, and bench/ui-keys case (e) at 2,000 levels.)
 */
import type { Locator } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { useE2eFixture } from "./support/e2e-fixture.js";
import { logRuns, type LoggedRun } from "./support/log-runs.js";

const fx = useE2eFixture({ vision: false });
const PROJECT = "deep-config";
const DEPTH = 100;

/** `{ x: { x: … leaf … } }`, `depth` levels of objects around `leaf`. */
function nested(depth: number, leaf: unknown): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = { x: value };
  return value;
}

/** The dotted key of the leaf under `top`. */
const leafKey = (top: string) => [top, ...Array.from({ length: DEPTH }, () => "x")].join(".");

let run: LoggedRun;
beforeAll(async () => {
  [run] = (await logRuns(fx.server(), [
    {
      project: PROJECT,
      name: "deep",
      config: { lr: 0.5, deep: nested(DEPTH, "bottom") },
      logSteps(r) {
        r.log({ loss: 0.25 });
        r.summary.update({ nestedSummary: nested(DEPTH, 42) });
      },
    },
  ])) as [LoggedRun];
});

/** Clicks the table's expand control until none is left; returns the clicks it took. */
async function expandAll(table: Locator): Promise<number> {
  const cutRows = table.locator('[data-testid="kv-row"]:has([data-testid="kv-expand"])');
  let clicks = 0;
  while ((await cutRows.count()) > 0) {
    const key = (await cutRows.first().getAttribute("data-key")) ?? "";
    await cutRows.first().locator('[data-testid="kv-expand"]').click();
    // The cut row gives way to the rows of the levels under it.
    await expect
      .poll(() => table.locator(`[data-testid="kv-row"][data-key="${key}"]`).count(), { timeout: 10_000 })
      .toBe(0);
    clicks++;
    if (clicks > DEPTH) throw new Error("the deep value never ran out of levels to expand");
  }
  return clicks;
}

describe("a run whose config is nested 100 levels deep", () => {
  it("opens with its overview and tables, and the deep value expands to the logged leaf", async () => {
    const errorsBefore = fx.browser().errors.length;
    const page = await fx.open(`/local/${PROJECT}/runs/${run.id}`);
    await page.locator('[data-testid="run-overview"]').waitFor();
    await expect(page.locator('[data-testid="run-name-display"]').innerText()).resolves.toContain("deep");

    const config = page.locator('[data-testid="config-table"]');
    await expect(config.locator('[data-testid="kv-row"][data-key="lr"]').innerText()).resolves.toContain(
      "0.5",
    );
    // Cut at a few levels, as one expandable row rather than 100 levels at once.
    const cut = config.locator('[data-testid="kv-row"][data-key^="deep"]');
    await expect(cut.count()).resolves.toBe(1);
    await expect(cut.locator('[data-testid="kv-expand"]').count()).resolves.toBe(1);
    expect(((await cut.getAttribute("data-key")) ?? "").split(".").length).toBeLessThan(DEPTH);

    const clicks = await expandAll(config);
    expect(clicks).toBeGreaterThan(1);
    const leaf = config.locator(`[data-testid="kv-row"][data-key="${leafKey("deep")}"]`);
    await expect(leaf.innerText()).resolves.toContain("bottom");

    const summary = page.locator('[data-testid="summary-table"]');
    await expect(summary.locator('[data-testid="kv-row"][data-key="loss"]').innerText()).resolves.toContain(
      "0.25",
    );
    await expandAll(summary);
    await expect(
      summary.locator(`[data-testid="kv-row"][data-key="${leafKey("nestedSummary")}"]`).innerText(),
    ).resolves.toContain("42");

    expect(fx.browser().errors.slice(errorsBefore)).toEqual([]);
  });
});
