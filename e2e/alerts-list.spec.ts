/**
 * Alerts in the UI: a run raises a WARN and an ERROR alert with the real SDK; the run page and
 * the project's workspace list them (level, title, text, step), and the header's bell counts them
 * and opens the recent alerts of every project with a link to the run.
 */
import { describe, expect, it } from "vitest";
import { init } from "@stepwise/sdk";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { useE2eFixture } from "./support/e2e-fixture.js";

const fx = useE2eFixture({ vision: false });

async function raiseAlerts(): Promise<{ id: string; name: string }> {
  const dir = await mkdtemp(join(tmpdir(), "stepwise-e2e-alerts-"));
  try {
    const run = await init({
      project: "alerting",
      name: "noisy-run",
      dir,
      baseUrl: fx.server().url,
      apiKey: fx.server().adminKey,
      settings: { silent: true },
    });
    run.log({ loss: 1 });
    run.alert({ title: "Loss is high", text: "loss = 1 at step 0", level: "WARN" });
    run.log({ loss: Number.NaN });
    run.alert({ title: "Loss is NaN", text: "stopping soon", level: "ERROR" });
    await run.finish();
    return { id: run.id, name: run.name };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("alerts in the UI", () => {
  it("lists a run's alerts on its page, the project's in the workspace, and all in the header bell", async () => {
    const run = await raiseAlerts();
    const page = await fx.open(`/local/alerting/runs/${run.id}`);
    const section = page.locator('[data-testid="alerts-section"]');
    await section.waitFor();
    const items = section.locator('[data-testid="alert-item"]');
    await expect.poll(() => items.count()).toBe(2);
    // Newest first, as raised.
    expect(await items.locator(".alert-title").allTextContents()).toEqual(["Loss is NaN", "Loss is high"]);
    expect(await items.locator(".alert-level").allTextContents()).toEqual(["ERROR", "WARN"]);
    expect(await items.locator(".alert-text").allTextContents()).toEqual([
      "stopping soon",
      "loss = 1 at step 0",
    ]);
    expect(await items.locator(".alert-meta").first().textContent()).toContain("step 2");
    // No destination is configured on this server: said so, not "failed".
    expect(await items.locator(".alert-delivery").allTextContents()).toEqual([
      "no destination",
      "no destination",
    ]);

    await page.goto(`${fx.server().url}/local/alerting`);
    const projectItems = page.locator('[data-testid="alerts-section"] [data-testid="alert-item"]');
    await expect.poll(() => projectItems.count()).toBe(2);
    expect(await projectItems.locator("a").first().textContent()).toBe(`alerting / ${run.name}`);

    const count = page.locator('[data-testid="alert-count"]');
    await expect.poll(() => count.textContent()).toBe("2");
    await page.locator('[data-testid="alert-bell"]').click();
    const popover = page.getByRole("dialog", { name: "Recent alerts" });
    await popover.waitFor();
    expect(await popover.locator(".alert-title").allTextContents()).toEqual(["Loss is NaN", "Loss is high"]);
    // Opened: the alerts are seen, the count goes away, and the link leads to the run.
    await expect.poll(() => count.count()).toBe(0);
    await popover.locator("a").first().click();
    await page.waitForURL(`**/local/alerting/runs/${run.id}`);
    await page.locator('[data-testid="run-overview"]').waitFor();
  }, 60_000);
});
