/**
 * Takes the media panels' screenshots for docs/ui.md into docs/screenshots/media-*.png (images
 * with a mask and boxes, audio, video, HTML, a point cloud, a molecule, the run page's Media
 * section). Runs only with STEPWISE_SCREENSHOTS=1, so that `npm test` does not rewrite tracked
 * images: `STEPWISE_SCREENSHOTS=1 npx vitest run e2e/media-screenshots.spec.ts`.
 */
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { describe, it } from "vitest";
import { useE2eFixture } from "./support/e2e-fixture.js";
import { logMediaProject, PROJECT } from "./support/media-project.js";

const OUT = fileURLToPath(new URL("../docs/screenshots/", import.meta.url));
const fx = useE2eFixture({ vision: false });

async function capture(page: Page, key: string, ready: string, file: string): Promise<void> {
  const panel = page.locator(`[data-testid="media-panel"][data-key="${key}"]`);
  for (let attempt = 0; attempt < 10; attempt++) {
    await panel.scrollIntoViewIfNeeded();
    if (
      await panel
        .locator(ready)
        .first()
        .waitFor({ timeout: 2_000 })
        .then(
          () => true,
          () => false,
        )
    )
      break;
  }
  await page.waitForTimeout(400);
  await panel.screenshot({ path: `${OUT}${file}` });
}

describe.runIf(process.env["STEPWISE_SCREENSHOTS"] === "1")("media screenshots for docs/ui.md", () => {
  it("captures each media panel", async () => {
    await mkdir(OUT, { recursive: true });
    await logMediaProject(fx.server(), fx.browser());
    const page = await fx.open(`/local/${PROJECT}`);
    await capture(page, "val/preds", 'canvas[data-ready="true"]', "media-images.png");
    await capture(page, "boxes", 'canvas[data-ready="true"]', "media-boxes.png");
    await capture(page, "sound", '[data-testid="media-audio"]', "media-audio.png");
    await capture(page, "clip", '[data-testid="media-video"]', "media-video.png");
    await capture(page, "report", '[data-testid="media-html"]', "media-html.png");
    await capture(page, "cloud", '[data-testid="media-3d"][data-ready="true"]', "media-3d.png");
    await capture(page, "mol", '[data-testid="media-molecule"][data-atoms="3"]', "media-molecule.png");
    const run = await fx.open(`/local/${PROJECT}/runs/alpha#media`);
    await run.locator('[data-testid="run-media"] [data-testid="media-panel"]').first().waitFor();
    await capture(run, "val/preds", 'canvas[data-ready="true"]', "media-run-page.png");
  }, 180_000);
});
