/**
 * Debian's Chromium through playwright-core, headless, with a fresh profile per launch (the flags
 * keep it from reaching the network on its own). `close()` ends the browser and its profile.
 */
import { chromium, type Browser, type Page } from "playwright-core";

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface E2eBrowser {
  browser: Browser;
  /** A new page in a fresh context (no shared storage), 1400×900, errors collected. */
  newPage(): Promise<Page>;
  /** Uncaught page errors and console errors seen so far, for failure messages. */
  errors: string[];
  close(): Promise<void>;
}

/** `extraArgs` are Chromium flags added to FLAGS (e.g. `--host-resolver-rules` to map a name to 127.0.0.1). */
export async function launchBrowser(extraArgs: readonly string[] = []): Promise<E2eBrowser> {
  const browser = await chromium.launch({
    executablePath: process.env["STEPWISE_CHROMIUM"] ?? "/usr/bin/chromium",
    args: [...FLAGS, ...extraArgs],
    headless: true,
  });
  const errors: string[] = [];
  return {
    browser,
    errors,
    async newPage() {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
      page.on("console", (message) => {
        if (message.type() === "error") errors.push(`console: ${message.text()}`);
      });
      return page;
    },
    close: () => browser.close(),
  };
}
