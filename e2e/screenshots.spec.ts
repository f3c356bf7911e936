/**
 * Takes the screenshots of docs/ui.md (projects page, workspace, run page, compare view) into
 * docs/screenshots/. Runs only with STEPWISE_SCREENSHOTS=1, so that `npm test` does not rewrite
 * tracked images: `STEPWISE_SCREENSHOTS=1 npx vitest run e2e/screenshots.spec.ts`.
 */
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, it } from "vitest";
import { waitForChart } from "./support/charts.js";
import { DEMO_PROJECT, logDemoProject } from "./support/demo-project.js";
import { useE2eFixture } from "./support/e2e-fixture.js";

const OUT = fileURLToPath(new URL("../docs/screenshots/", import.meta.url));
// The vision runs too, so that the projects page lists two projects.
const fx = useE2eFixture();

describe.runIf(process.env["STEPWISE_SCREENSHOTS"] === "1")("screenshots for docs/ui.md", () => {
  it("captures the main views", async () => {
    await mkdir(OUT, { recursive: true });
    const runs = await logDemoProject(fx.server());
    const projects = await fx.open("/");
    await projects.locator('[data-testid="project-row"]').first().waitFor();
    await projects.screenshot({ path: `${OUT}projects.png` });

    const workspace = await fx.open(`/local/${DEMO_PROJECT}`);
    await waitForChart(workspace, "train/loss", runs.length);
    await waitForChart(workspace, "train/acc", runs.length);
    await workspace.waitForTimeout(500);
    await workspace.screenshot({ path: `${OUT}workspace.png` });

    const smoothed = await fx.open(`/local/${DEMO_PROJECT}?smooth=ema:0.9&filter=config.lr%20%3C%200.005`);
    await smoothed.locator('[data-testid="run-row"]').first().waitFor();
    await waitForChart(smoothed, "train/loss", 1);
    await smoothed.waitForTimeout(500);
    await smoothed.screenshot({ path: `${OUT}workspace-filtered-smoothed.png` });

    const first = runs[0];
    if (first === undefined) throw new Error("no demo run");
    const run = await fx.open(`/local/${DEMO_PROJECT}/runs/${first.id}`);
    await run.locator('[data-testid="run-overview"]').waitFor();
    await run.locator('[data-testid="notes-rendered"] .katex').first().waitFor();
    await run.waitForTimeout(500);
    await run.screenshot({ path: `${OUT}run.png`, fullPage: true });

    const compare = await fx.open(
      `/local/${DEMO_PROJECT}/compare?runs=${runs
        .map((r) => r.id)
        .slice(0, 3)
        .join(",")}`,
    );
    await compare.locator('[data-testid="compare-table"]').waitFor();
    await compare.screenshot({ path: `${OUT}compare.png` });
  }, 120_000);
});
