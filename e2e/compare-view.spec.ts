/** The compare view shows config and summary side by side and marks the rows that differ. */
import { describe, expect, it } from "vitest";
import { useE2eFixture } from "./support/e2e-fixture.js";
import { VISION_PROJECT } from "./support/vision-project.js";

const fx = useE2eFixture();

describe("compare view", () => {
  it("marks differing config rows and can show only the differences", async () => {
    const ids = [fx.runs()["alpha"]?.id, fx.runs()["beta"]?.id].join(",");
    const page = await fx.open(`/local/${VISION_PROJECT}/compare?runs=${ids}`);
    const table = page.locator('[data-testid="compare-table"]');
    await table.waitFor();
    const row = (suffix: string) => table.locator(`[data-testid="diff-row"][data-key$="${suffix}"]`).first();
    // Show every row first, whichever way the checkbox starts.
    await page.locator('[data-testid="only-differences"]').setChecked(false);
    await expect(row("lr").getAttribute("data-differs")).resolves.toBe("true");
    await expect(row("optimizer.beta").getAttribute("data-differs")).resolves.toBe("true");
    await expect(row("batch").getAttribute("data-differs")).resolves.toBe("false");
    await expect(row("optimizer.name").getAttribute("data-differs")).resolves.toBe("false");
    await expect(row("lr").innerText()).resolves.toMatch(/0\.001[^]*0\.005/);
    await page.locator('[data-testid="only-differences"]').check();
    await row("batch").waitFor({ state: "detached" });
    await expect(row("lr").isVisible()).resolves.toBe(true);
  });

  it("opens from the workspace's compare button with the visible runs", async () => {
    const page = await fx.open(`/local/${VISION_PROJECT}`);
    await page.locator('[data-testid="run-row"]').first().waitFor();
    await page.locator('[data-testid="compare-button"]').click();
    await page.waitForURL(/\/compare\?runs=/);
    await page.locator('[data-testid="compare-table"]').waitFor();
    const header = await page.locator('[data-testid="compare-table"]').innerText();
    for (const name of ["alpha", "beta", "gamma", "delta"]) expect(header).toContain(name);
  });
});
