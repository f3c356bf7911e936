/**
 * The run page's Logs tab: a running run's console with its colours, a search, the stream
 * filter, a live tail that shows new lines without a reload, and the output.log download.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { consolePaths } from "@stepwise/protocol";
import { afterAll, describe, expect, it } from "vitest";
import { useE2eFixture } from "./support/e2e-fixture.js";
import { startSurroundingsRun, type SurroundingsRun } from "./support/surroundings-run.js";

const fx = useE2eFixture({ vision: false });
let dir = "";
let live: SurroundingsRun | null = null;

afterAll(async () => {
  await live?.kill();
  if (dir !== "") await rm(dir, { recursive: true, force: true });
});

function lineTexts(page: Page): Promise<string[]> {
  return page
    .locator('[data-testid="log-line"] .log-text')
    .evaluateAll((nodes) => nodes.map((node) => node.textContent ?? ""));
}

async function lastTick(page: Page): Promise<number> {
  const ticks = (await lineTexts(page))
    .map((text) => /^tick (\d+)$/.exec(text)?.[1])
    .filter((n) => n !== undefined);
  return ticks.length === 0 ? -1 : Number(ticks.at(-1));
}

describe("Logs tab", () => {
  it("shows a running run's console with colours, searches, filters by stream and tails it live", async () => {
    dir = await mkdtemp(join(tmpdir(), "stepwise-e2e-logs-"));
    live = await startSurroundingsRun(fx.server(), dir, "logs", "live");
    const page = await fx.open(`/local/logs/runs/${live.id}`);
    const tab = page.locator('[data-testid="logs-tab"]');
    // The run uploads its console in the background (its threads at a lower priority), which a
    // loaded machine can hold back for seconds: wait longer, and if nothing came, say what the
    // server holds, so a failure tells an upload that never came from a page that did not show it.
    await tab
      .locator('[data-testid="log-line"]')
      .first()
      .waitFor({ timeout: 40_000 })
      .catch(async (error: unknown) => {
        const ref = { entity: "local", project: "logs", runId: live?.id ?? "" };
        const held = await fetch(fx.server().url + consolePaths.lines(ref), {
          headers: { authorization: `Bearer ${fx.server().adminKey}` },
        }).then(async (r) => `${r.status} ${(await r.text()).slice(0, 300)}`);
        throw new Error(`no console line shown; the server's console of the run: ${held}`, { cause: error });
      });
    await page.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid="log-line"]')].some((n) =>
        n.textContent?.includes("tick 1"),
      ),
    );
    const texts = await lineTexts(page);
    expect(texts.slice(0, 3)).toEqual([
      "starting red alert training",
      "a warning on stderr",
      "progress 100%",
    ]);
    // ANSI red is drawn red; stderr lines are marked as such.
    const red = tab
      .locator('[data-testid="log-line"]')
      .first()
      .locator("span", { hasText: "red alert" })
      .last();
    await expect(red.evaluate((node) => getComputedStyle(node).color)).resolves.toBe("rgb(205, 49, 49)");
    await expect(tab.locator('[data-testid="log-line"][data-stream="stderr"]').count()).resolves.toBe(1);

    // Live tail: later ticks appear without a reload.
    await expect(tab.locator('[data-testid="logs-live"]').innerText()).resolves.toMatch(/live/i);
    const before = await lastTick(page);
    await page.waitForFunction(
      (n) => {
        const ticks = [...document.querySelectorAll('[data-testid="log-line"] .log-text')]
          .map((node) => /^tick (\d+)$/.exec(node.textContent ?? "")?.[1])
          .filter((t) => t !== undefined);
        return ticks.length > 0 && Number(ticks.at(-1)) >= n + 5;
      },
      before,
      { timeout: 20_000 },
    );

    // Search (server side) and the stream filter.
    await tab.locator('input[aria-label="Search the logs"]').fill("WARNING");
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="log-line"]').length === 1);
    expect(await lineTexts(page)).toEqual(["a warning on stderr"]);
    await tab.locator('input[aria-label="Search the logs"]').fill("");
    await tab.locator('select[aria-label="Stream"]').selectOption("stderr");
    await page.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid="log-line"]')].every(
        (n) => n.getAttribute("data-stream") === "stderr",
      ),
    );
    expect(await lineTexts(page)).toEqual(["a warning on stderr"]);
    await tab.locator('select[aria-label="Stream"]').selectOption("all");
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="log-line"]').length > 3);

    // The download is the server's output.log, the lines as printed.
    const href = await tab.locator('[data-testid="logs-download"]').getAttribute("href");
    const log = await (await fetch(`${fx.server().url}${href ?? ""}`)).text();
    expect(log.split("\n").slice(0, 3)).toEqual([
      "starting \u001b[31mred alert\u001b[0m training",
      "a warning on stderr",
      "progress 100%",
    ]);
  }, 90_000);
});
