/**
 * One server, one browser and the `vision` runs per spec file: started in `beforeAll`, disposed
 * in `afterAll` (Node 20 has no `await using`). Specs read them through the returned getters.
 * When a test fails, the last page it opened is saved to `.tmp/e2e-failures/<test>.png` with the
 * browser's errors beside it, so that a red CI run shows what the browser showed.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll } from "vitest";
import { launchBrowser, type E2eBrowser } from "./browser.js";
import { startE2eServer, type E2eServer } from "./e2e-server.js";
import type { LoggedRun } from "./log-runs.js";
import { logVisionProject } from "./vision-project.js";

const FAILURES = fileURLToPath(new URL("../../.tmp/e2e-failures/", import.meta.url));

export interface E2eFixture {
  server(): E2eServer;
  browser(): E2eBrowser;
  /** The vision runs by name (empty when `vision` was false). */
  runs(): Record<string, LoggedRun>;
  /** A fresh page at `path` (relative to the server). */
  open(path: string): Promise<Page>;
}

export function useE2eFixture(options: { vision?: boolean } = {}): E2eFixture {
  let server: E2eServer | null = null;
  let browser: E2eBrowser | null = null;
  let runs: Record<string, LoggedRun> = {};
  beforeAll(async () => {
    server = await startE2eServer();
    const [launched, logged] = await Promise.all([
      launchBrowser(),
      options.vision === false ? Promise.resolve({}) : logVisionProject(server),
    ]);
    browser = launched;
    runs = logged;
  });
  let lastPage: Page | null = null;
  afterEach(async (context) => {
    const page = lastPage;
    lastPage = null;
    if (context.task.result?.state !== "fail" || page === null || page.isClosed()) return;
    await mkdir(FAILURES, { recursive: true });
    const name = context.task.name.replace(/[^a-z0-9]+/gi, "-").slice(0, 80);
    await page.screenshot({ path: `${FAILURES}${name}.png` }).catch(() => undefined);
    await writeFile(`${FAILURES}${name}.txt`, `${page.url()}\n${browser?.errors.join("\n") ?? ""}\n`);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  const fixture: E2eFixture = {
    server: () => must(server, "server"),
    browser: () => must(browser, "browser"),
    runs: () => runs,
    async open(path) {
      const page = await fixture.browser().newPage();
      lastPage = page;
      await page.goto(fixture.server().url + path);
      return page;
    },
  };
  return fixture;
}

function must<T>(value: T | null, what: string): T {
  if (value === null) throw new Error(`the e2e ${what} did not start (see beforeAll)`);
  return value;
}
