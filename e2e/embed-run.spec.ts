/**
 * `run.toHtml()` on another origin: a second local HTTP server (http://localhost:<port>, another
 * origin and site than the Stepwise server at 127.0.0.1) serves a page holding the iframe the SDK
 * made. In Chromium the frame shows the run's embeddable view — its name, the summary the run
 * logged, and its charts drawn — while the app's own run page, framed the same way, is refused by
 * the browser (frame-ancestors 'self').
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { init } from "@stepwise/sdk";
import { useE2eFixture } from "./support/e2e-fixture.js";

const fx = useE2eFixture({ vision: false });
let other: Server | undefined;
let page = "";
let otherUrl = "";

beforeAll(async () => {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><title>someone's blog</title><h1>My experiment</h1>${page}`);
  });
  other = server;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  otherUrl = `http://localhost:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  const server = other;
  if (server === undefined) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function logRun(): Promise<{ id: string; name: string; html: string }> {
  const dir = await mkdtemp(join(tmpdir(), "stepwise-e2e-embed-"));
  try {
    const run = await init({
      project: "embedded",
      name: "shown-elsewhere",
      dir,
      baseUrl: fx.server().url,
      apiKey: fx.server().adminKey,
      settings: { silent: true },
    });
    for (let step = 0; step < 50; step++) run.log({ "train/loss": 1 / (step + 1), accuracy: step / 50 });
    const html = run.toHtml({ height: 600 });
    await run.finish();
    return { id: run.id, name: run.name, html };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("embedded run view", () => {
  it("renders the run's summary and charts in an iframe on another origin; the app's pages refuse to be framed", async () => {
    const run = await logRun();
    expect(run.html).toBe(
      `<iframe src="${fx.server().url}/embed/local/embedded/runs/${run.id}" style="border:none;width:100%;height:600px;" loading="lazy" title="Stepwise run"></iframe>`,
    );
    page = run.html;
    const browserPage = await fx.browser().newPage();
    await browserPage.goto(otherUrl);
    const frame = browserPage.frameLocator("iframe");
    await frame
      .locator('[data-testid="embed-run"]')
      .waitFor({ timeout: 20_000 })
      .catch(async (error: unknown) => {
        const inner = browserPage.frames().at(-1);
        throw new Error(
          `${String(error)}\nframe ${inner?.url()}: ${(await inner?.content())?.slice(0, 3000)}\n${fx.browser().errors.join("\n")}`,
        );
      });
    expect(await frame.locator('[data-testid="embed-run-name"]').textContent()).toBe("shown-elsewhere");
    const summary = (await frame.locator('[data-testid="summary-table"]').textContent()) ?? "";
    expect(summary).toContain("accuracy");
    expect(summary).toContain("0.98");
    expect(summary).toContain("train/loss");
    expect(summary).toContain("0.02");
    // No app chrome in the frame, and the charts are drawn.
    expect(await frame.locator(".top-bar").count()).toBe(0);
    await expect
      .poll(() => frame.locator('[data-testid="run-charts"] canvas').count(), { timeout: 20_000 })
      .toBeGreaterThan(0);

    // The same page framing the app's run page: the browser refuses to show it.
    page = `<iframe src="${fx.server().url}/local/embedded/runs/${run.id}" style="width:100%;height:400px"></iframe>`;
    const refused = await fx.browser().newPage();
    await refused.goto(otherUrl);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const appFrame = refused.frames().find((f) => f !== refused.mainFrame());
    const overview = await appFrame
      ?.locator('[data-testid="run-overview"]')
      .count()
      .catch(() => 0);
    expect(overview ?? 0).toBe(0);

    const embedHeaders = (await fetch(`${fx.server().url}/embed/local/embedded/runs/${run.id}`)).headers;
    expect(embedHeaders.get("content-security-policy")).toBe("frame-ancestors *");
    expect(embedHeaders.get("x-frame-options")).toBeNull();
    const appHeaders = (await fetch(`${fx.server().url}/local/embedded/runs/${run.id}`)).headers;
    expect(appHeaders.get("content-security-policy")).toBe("frame-ancestors 'self'");
    expect(appHeaders.get("x-frame-options")).toBe("SAMEORIGIN");
  }, 90_000);
});
