/**
 * A web page of another origin, opened in Chromium, tries to drive the default keyless server
 * (loopback trust): to create an admin API key and to write a run, with every request a page can
 * send (fetch with text/plain and JSON, with and without no-cors, a beacon, a text/plain form).
 * Every attempt that reaches the server is refused, and the server's API (asked as the CLI asks,
 * without an Origin) shows no new key and no run. The same script on the server's own origin
 * (the web UI's) may write with JSON, which shows that the attempts are real and the UI still
 * works; a page whose name was re-pointed at 127.0.0.1 (DNS rebinding) cannot even read.
 */
import type { Response } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, type E2eBrowser } from "./support/browser.js";
import { startE2eServer, type E2eServer } from "./support/e2e-server.js";
import {
  ATTACKS,
  attackStepwise,
  startHostileOrigin,
  type AttackOutcome,
  type HostileOrigin,
} from "./support/hostile-origin.js";

/** Resolved to 127.0.0.1 by Chromium itself, as a rebinding DNS server would answer. */
const REBOUND_NAME = "rebound.test";

let server: E2eServer;
let hostile: HostileOrigin;
let browser: E2eBrowser;

beforeAll(async () => {
  [server, hostile, browser] = await Promise.all([
    startE2eServer(),
    startHostileOrigin(),
    launchBrowser([`--host-resolver-rules=MAP ${REBOUND_NAME} 127.0.0.1`]),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await hostile?.close();
  await server?.close();
});

/** Asks the server as a non-browser client (no Origin): what an attack may have left behind. */
async function serverState(): Promise<{ keys: string[]; runs: string[] }> {
  const keys = (await api("/api/v1/keys")) as { keys: Array<{ name: string }> };
  const runs = (await api("/api/v1/runs/local/hostile")) as { runs: Array<{ id: string }> };
  return { keys: keys.keys.map((k) => k.name).sort(), runs: runs.runs.map((r) => r.id).sort() };
}

async function api(path: string): Promise<unknown> {
  const response = await fetch(server.url + path);
  if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status} ${await response.text()}`);
  return response.json();
}

/** Opens `url` and runs the attack script in it; returns what the page saw and what the server answered. */
async function attackFrom(
  url: string,
  prefix: string,
): Promise<{ outcomes: AttackOutcome[]; answers: Map<string, number> }> {
  const page = await browser.newPage();
  const answers = new Map<string, number>();
  const api = new URL(server.url);
  page.on("response", (response: Response) => {
    const request = response.request();
    const target = new URL(request.url());
    if (target.port !== api.port || !target.pathname.startsWith("/api/")) return;
    answers.set(`${request.method()} ${target.pathname}`, response.status());
  });
  await page.goto(url);
  const outcomes = await page.evaluate(attackStepwise, { target: server.url, prefix });
  // Beacons and forms go out after the script returns: wait until the server answered each.
  const sent = ["text-nocors", "json-nocors", "beacon", "form"].map(
    (attack) => `POST /api/v1/runs/local/hostile/${prefix}-${attack}/ingest`,
  );
  for (let waited = 0; waited < 5000 && !sent.every((key) => answers.has(key)); waited += 50)
    await page.waitForTimeout(50);
  await page.context().close();
  return { outcomes, answers };
}

describe("a page of another origin cannot drive a loopback-trusting server", () => {
  it.each([
    ["127.0.0.1 on another port (same-site)", "127.0.0.1", "samesite"],
    ["localhost on another port (cross-site)", "localhost", "crosssite"],
  ])("from %s: no key and no run are created", async (_what, hostName, prefix) => {
    const { outcomes, answers } = await attackFrom(`http://${hostName}:${hostile.port}/`, prefix);
    expect(outcomes.map((o) => o.name)).toEqual(
      ATTACKS.flatMap((attack) => [`${attack} key`, `${attack} run`]),
    );
    // Each write the browser let through was refused by the server (403: another origin). A cors
    // fetch gets no answer the page may read: text/plain is sent and refused (its answer
    // carries no CORS consent), JSON never leaves the browser (its preflight gets no consent).
    for (const attack of ["text-nocors", "json-nocors", "beacon", "form"]) {
      const run = `POST /api/v1/runs/local/hostile/${prefix}-${attack}/ingest`;
      expect(answers.get(run), `${attack}: ${JSON.stringify(outcomes)}`).toBe(403);
    }
    expect(answers.get("POST /api/v1/keys")).toBe(403);
    for (const attack of ["text-cors", "json-cors"])
      for (const what of ["key", "run"])
        expect(outcomes.find((o) => o.name === `${attack} ${what}`)?.result).toMatch(/^failed: TypeError/);
    const state = await serverState();
    expect(state.keys).toEqual(["admin"]);
    expect(state.runs).toEqual([]);
  });

  it("a page renamed to 127.0.0.1 by DNS rebinding can neither read nor write", async () => {
    const port = new URL(server.url).port;
    const page = await browser.newPage();
    const origin = `http://${REBOUND_NAME}:${port}`;
    // The attacker's script runs in a document of origin http://rebound.test:<port> whose name
    // now points at 127.0.0.1; even that document is refused (403), but its script runs on.
    expect((await page.goto(`${origin}/`))?.status()).toBe(403);
    const read = await page.evaluate(async () => {
      const response = await fetch("/api/v1/entities");
      return { status: response.status, body: await response.text() };
    });
    expect(read.status).toBe(403);
    expect(read.body).toContain("DNS rebinding");
    expect(read.body).not.toContain('"entities"');
    const outcomes = await page.evaluate(attackStepwise, { target: origin, prefix: "rebound" });
    expect(outcomes.find((o) => o.name === "json-cors key")?.result).toBe("status 403 (basic)");
    expect(outcomes.find((o) => o.name === "json-cors run")?.result).toBe("status 403 (basic)");
    await page.context().close();
    const state = await serverState();
    expect(state.keys).toEqual(["admin"]);
    expect(state.runs).toEqual([]);
  });

  it("the server's own origin (the web UI's) may write JSON, and is refused text/plain", async () => {
    const { outcomes, answers } = await attackFrom(`${server.url}/`, "own");
    expect(outcomes.find((o) => o.name === "json-cors key")?.result).toBe("status 201 (basic)");
    expect(outcomes.find((o) => o.name === "json-cors run")?.result).toBe("status 200 (basic)");
    for (const attack of ["text-cors", "text-nocors", "json-nocors", "beacon", "form"])
      expect(answers.get(`POST /api/v1/runs/local/hostile/own-${attack}/ingest`), attack).toBe(415);
    const state = await serverState();
    expect(state.keys).toEqual(["admin", "own-json-cors"]);
    expect(state.runs).toEqual(["own-json-cors"]);
  });
});
