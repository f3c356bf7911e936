/** The projects page lists every project with its run count and links to its workspace. */
import { describe, expect, it } from "vitest";
import { useE2eFixture } from "./support/e2e-fixture.js";
import { VISION_PROJECT, VISION_RUNS } from "./support/vision-project.js";

const fx = useE2eFixture();

describe("projects page", () => {
  it("lists the project with its run count, and its row links to the workspace", async () => {
    const page = await fx.open("/");
    const row = page.locator(`[data-testid="project-row"][data-project="local/${VISION_PROJECT}"]`);
    await row.waitFor();
    await expect(row.locator('[data-testid="project-runs"]').innerText()).resolves.toContain(
      String(VISION_RUNS.length),
    );
    await row.locator("a").first().click();
    await page.waitForURL(`**/local/${VISION_PROJECT}`);
    await page.locator('[data-testid="runs-table"]').waitFor();
  });
});
