/**
 * The run page: overview, config and summary tables, and editing name, notes (Markdown with LaTeX)
 * and tags — each edit persisted on the server, so it is still there after a reload.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useE2eFixture } from "./support/e2e-fixture.js";
import { VISION_PROJECT } from "./support/vision-project.js";

const fx = useE2eFixture();

function runPath(name: string): string {
  return `/local/${VISION_PROJECT}/runs/${fx.runs()[name]?.id ?? "missing"}`;
}

async function openRun(name: string): Promise<Page> {
  const page = await fx.open(runPath(name));
  await page.locator('[data-testid="run-overview"]').waitFor();
  return page;
}

async function serverRun(name: string): Promise<{ name: string; notes: string; tags: string[] }> {
  const response = await fetch(
    `${fx.server().url}/api/v1/runs/local/${VISION_PROJECT}/${fx.runs()[name]?.id}`,
  );
  if (!response.ok) throw new Error(`GET run: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as { name: string; notes: string; tags: string[] };
}

function tagTexts(page: Page): Promise<string[]> {
  return page
    .locator('[data-testid="tag"]')
    .evaluateAll((nodes) => nodes.map((n) => (n.firstChild?.textContent ?? n.textContent ?? "").trim()));
}

describe("run page", () => {
  it("shows the overview, the config and summary tables with nested keys, and the run's charts", async () => {
    const page = await openRun("alpha");
    await expect(page.locator('[data-testid="run-id"]').innerText()).resolves.toContain(
      fx.runs()["alpha"]?.id,
    );
    await expect(page.locator('[data-testid="run-name-display"]').innerText()).resolves.toContain("alpha");
    await expect(
      page.locator('[data-testid="run-overview"] [data-testid="state-badge"]').innerText(),
    ).resolves.toMatch(/finished/i);
    const config = page.locator('[data-testid="config-table"]');
    await expect(
      config.locator('[data-testid="kv-row"][data-key="optimizer.name"]').innerText(),
    ).resolves.toContain("adam");
    await expect(config.locator('[data-testid="kv-row"][data-key="lr"]').innerText()).resolves.toContain(
      "0.001",
    );
    const summary = page.locator('[data-testid="summary-table"]');
    await expect(
      summary.locator('[data-testid="kv-row"][data-key="val/acc"]').innerText(),
    ).resolves.toContain("0.95");
    await page.locator('[data-testid="run-charts"] [data-testid="chart"][data-key="train/loss"]').waitFor();
  });

  it("edits the name (Enter saves, Escape cancels), persisted after reload", async () => {
    const page = await openRun("beta");
    await page.locator('[data-testid="edit-name"]').click();
    const input = page.locator('[data-testid="name-input"]');
    await input.fill("ignored-name");
    await input.press("Escape");
    await expect(page.locator('[data-testid="run-name-display"]').innerText()).resolves.toContain("beta");
    await page.locator('[data-testid="edit-name"]').click();
    await page.locator('[data-testid="name-input"]').fill("beta-renamed");
    await page.locator('[data-testid="name-input"]').press("Enter");
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="run-name-display"]')?.textContent?.includes("beta-renamed") ===
        true,
    );
    await page.reload();
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="run-name-display"]')?.textContent?.includes("beta-renamed") ===
        true,
    );
    await expect(serverRun("beta")).resolves.toMatchObject({ name: "beta-renamed" });
  });

  it("edits the notes as Markdown with LaTeX, rendered with KaTeX and persisted after reload", async () => {
    const page = await openRun("gamma");
    await page.locator('[data-testid="edit-notes"]').click();
    await page.locator('[data-testid="notes-input"]').fill("Loss falls as $x^2$ and **fast**.");
    await page.locator('[data-testid="save-notes"]').click();
    const rendered = page.locator('[data-testid="notes-rendered"]');
    await rendered.locator(".katex").first().waitFor();
    await expect(rendered.locator("strong").innerText()).resolves.toBe("fast");
    await page.reload();
    await page.locator('[data-testid="notes-rendered"] .katex').first().waitFor();
    await expect(serverRun("gamma")).resolves.toMatchObject({ notes: "Loss falls as $x^2$ and **fast**." });
  });

  it("adds and removes tags, persisted after reload", async () => {
    const page = await openRun("alpha");
    await page.locator('[data-testid="tag"]').first().waitFor();
    expect(await tagTexts(page)).toEqual(["baseline"]);
    const input = page.locator('[data-testid="tag-input"]');
    await input.fill("promising");
    await input.press("Enter");
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="tag"]').length === 2);
    await page
      .locator('[data-testid="tag"]', { hasText: "baseline" })
      .locator('[data-testid="tag-remove"]')
      .click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="tag"]').length === 1);
    // The page shows the change at once and saves it in the background: wait for the server.
    await expect
      .poll(async () => (await serverRun("alpha")).tags, { timeout: 10_000 })
      .toEqual(["promising"]);
    await page.reload();
    await page.locator('[data-testid="tag"]').first().waitFor();
    expect(await tagTexts(page)).toEqual(["promising"]);
  });
});
