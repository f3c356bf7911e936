/**
 * An open page whose server stops says so ("the server at … is not reachable; retrying") and
 * keeps retrying; when the server is back on the same port the banner goes away by itself. The
 * server restarts on a port below the kernel's ephemeral range (32768+), so no other test's
 * port-0 server can take it while it is down.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, type E2eBrowser } from "./support/browser.js";

const BIN = fileURLToPath(new URL("../packages/cli/bin/stepwise.js", import.meta.url));

let dataDir = "";
let port = 0;
let browser: E2eBrowser;
let server: ChildProcess | null = null;

async function freeLowPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const candidate = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once("error", () => resolve(false));
      probe.listen(candidate, "127.0.0.1", () => probe.close(() => resolve(true)));
    });
    if (free) return candidate;
  }
  throw new Error("no free port in 20000–31999");
}

async function startServer(): Promise<void> {
  const child = spawn(process.execPath, [BIN, "server", "--port", String(port), "--data", dataDir], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  server = child;
  await new Promise<void>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("listening on")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`stepwise server exited (${code})`)));
  });
}

async function stopServer(): Promise<void> {
  const child = server;
  server = null;
  if (child === null || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  await exited;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "stepwise-e2e-restart-"));
  port = await freeLowPort();
  await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await stopServer();
  await rm(dataDir, { recursive: true, force: true });
});

describe("a server that stops while the page is open", () => {
  it("shows that it is not reachable, retries, and clears the notice once it answers again", async () => {
    const page = await browser.newPage();
    const origin = `http://127.0.0.1:${port}`;
    await page.goto(`${origin}/`);
    await page.locator('[data-testid="empty-state"]').waitFor();
    const banner = page.locator('[data-testid="server-unreachable"]');
    await expect(banner.count()).resolves.toBe(0);

    await stopServer();
    await banner.waitFor({ timeout: 15_000 });
    await expect(banner.innerText()).resolves.toContain(`The server at ${origin} is not reachable; retrying`);
    // The page itself stays: what it loaded is still shown under the banner.
    await expect(page.locator('[data-testid="empty-state"]').count()).resolves.toBe(1);

    await startServer();
    await banner.waitFor({ state: "detached", timeout: 20_000 });
    await expect(banner.count()).resolves.toBe(0);
  });
});
