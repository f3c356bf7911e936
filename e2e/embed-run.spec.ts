/**
 * `run.toHtml()` on another origin: a second local HTTP server (http://localhost:<port>, another
 * origin and site than the Stepwise server at 127.0.0.1) serves a page holding the iframe the SDK
 * made. In Chromium the frame shows the run's embeddable view — its name, the summary the run
 * logged, and its charts drawn — while the app's own run page, framed the same way, is refused by
 * the browser (frame-ancestors 'self'). On a server that needs API keys (`--no-loopback-trust`)
 * the iframe's embed token lets the frame read the run and draw its chart without any key; a frame
 * without a token, or with an expired one, says so.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FrameLocator, Page } from "playwright-core";
import { init } from "@stepwise/sdk";
import { useE2eFixture } from "./support/e2e-fixture.js";
import { startE2eServer, type E2eServer } from "./support/e2e-server.js";

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

async function logRun(
  server: E2eServer = fx.server(),
  ttlSeconds?: number,
): Promise<{ id: string; name: string; html: string; expiring: string }> {
  const dir = await mkdtemp(join(tmpdir(), "stepwise-e2e-embed-"));
  try {
    const run = await init({
      project: "embedded",
      name: "shown-elsewhere",
      dir,
      baseUrl: server.url,
      apiKey: server.adminKey,
      settings: { silent: true },
    });
    for (let step = 0; step < 50; step++) run.log({ "train/loss": 1 / (step + 1), accuracy: step / 50 });
    await run.embedUrl();
    const html = run.toHtml({ height: 600 });
    let expiring = "";
    if (ttlSeconds !== undefined) {
      // The URL embedUrl() answers, framed as toHtml() frames it: toHtml() itself hands out no
      // token already past its expiry, and a 1 s token may be by the time it is called.
      const url = await run.embedUrl({ ttlSeconds });
      expiring = `<iframe src="${url.replace(/&/g, "&amp;")}" style="border:none;width:100%;height:420px;"></iframe>`;
    }
    await run.finish();
    return { id: run.id, name: run.name, html, expiring };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("embedded run view", () => {
  it("renders the run's summary and charts in an iframe on another origin; the app's pages refuse to be framed", async () => {
    const run = await logRun();
    expect(run.html).toMatch(
      new RegExp(
        `^<iframe src="${escapeRegExp(`${fx.server().url}/embed/local/embedded/runs/${run.id}`)}\\?embed_token=swe_[^"]+" style="border:none;width:100%;height:600px;" loading="lazy" title="Stepwise run"></iframe>$`,
      ),
    );
    page = run.html;
    const browserPage = await fx.browser().newPage();
    await browserPage.goto(otherUrl);
    const frame = browserPage.frameLocator("iframe");
    await waitInFrame(browserPage, frame, '[data-testid="embed-run"]');
    expect(await frame.locator('[data-testid="embed-run-name"]').textContent()).toBe("shown-elsewhere");
    // The table fills in a deferred render after the frame's first paint: wait for a logged row.
    await frame
      .locator('[data-testid="summary-table"] [data-testid="kv-row"][data-key="accuracy"]')
      .waitFor();
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

describe("embedded run view on a server that needs API keys", () => {
  let keyed: E2eServer | undefined;
  beforeAll(async () => {
    keyed = await startE2eServer(["--no-loopback-trust"]);
  });
  afterAll(async () => {
    await keyed?.close();
  });

  it("draws the run with the iframe's embed token; without a token, with the token on another run's embed, or expired, the frame says so", async () => {
    const server = keyed as E2eServer;
    const run = await logRun(server, 1);
    const expiredAfter = Date.now() + 2000;
    const src = /<iframe src="([^"]+)"/.exec(run.html)?.[1]?.replace(/&amp;/g, "&") ?? "";
    expect(new URL(src).searchParams.get("embed_token")).toMatch(/^swe_/);
    // The page's own request for the run, without the token, is refused: the server needs keys.
    expect((await fetch(`${server.url}/api/v1/runs/local/embedded/${run.id}`)).status).toBe(401);

    page = run.html;
    const withToken = await fx.browser().newPage();
    await withToken.goto(otherUrl);
    const frame = withToken.frameLocator("iframe");
    await waitInFrame(withToken, frame, '[data-testid="embed-run"]');
    expect(await frame.locator('[data-testid="embed-run-name"]').textContent()).toBe("shown-elsewhere");
    await expect(
      frame.locator('[data-testid="summary-table"] [data-testid="kv-row"][data-key="accuracy"]').innerText(),
    ).resolves.toContain("0.98");
    await expect
      .poll(() => frame.locator('[data-testid="run-charts"] canvas').count(), { timeout: 20_000 })
      .toBeGreaterThan(0);

    page = `<iframe src="${server.url}/embed/local/embedded/runs/${run.id}" style="width:100%;height:400px"></iframe>`;
    const without = await fx.browser().newPage();
    await without.goto(otherUrl);
    const bare = without.frameLocator("iframe");
    await waitInFrame(without, bare, '[data-testid="embed-token-problem"]');
    expect(await bare.locator('[data-testid="embed-token-problem"]').getAttribute("data-kind")).toBe(
      "needs-token",
    );
    expect(await bare.locator('[data-testid="embed-token-problem"]').textContent()).toContain("run.toHtml()");
    expect(await bare.locator('[data-testid="embed-run"]').count()).toBe(0);

    // The run's token on another run's embed path: refused, and the frame says so.
    page = `<iframe src="${src.replace(`/runs/${run.id}?`, "/runs/someone-else?")}" style="width:100%;height:400px"></iframe>`;
    const elsewhere = await fx.browser().newPage();
    await elsewhere.goto(otherUrl);
    const foreign = elsewhere.frameLocator("iframe");
    await waitInFrame(elsewhere, foreign, '[data-testid="embed-token-problem"]');
    expect(await foreign.locator('[data-testid="embed-token-problem"]').getAttribute("data-kind")).toBe(
      "forbidden",
    );
    expect(await foreign.locator('[data-testid="embed-token-problem"]').textContent()).toContain(
      `may only read run local/embedded/${run.id}`,
    );

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiredAfter - Date.now())));
    page = run.expiring;
    const expired = await fx.browser().newPage();
    await expired.goto(otherUrl);
    const late = expired.frameLocator("iframe");
    await waitInFrame(expired, late, '[data-testid="embed-token-problem"]');
    expect(await late.locator('[data-testid="embed-token-problem"]').getAttribute("data-kind")).toBe(
      "expired",
    );
    expect(await late.locator('[data-testid="embed-token-problem"]').textContent()).toContain("expired");
  }, 90_000);
});

async function waitInFrame(page: Page, frame: FrameLocator, selector: string): Promise<void> {
  await frame
    .locator(selector)
    .waitFor({ timeout: 20_000 })
    .catch(async (error: unknown) => {
      const inner = page.frames().at(-1);
      throw new Error(
        `${String(error)}\nframe ${inner?.url()}: ${(await inner?.content())?.slice(0, 3000)}\n${fx.browser().errors.join("\n")}`,
      );
    });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
