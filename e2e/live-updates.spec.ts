/**
 * A running run updates live: while a child process keeps logging through the SDK, the open
 * workspace's chart grows without a reload (the issue asks for ≤ 2 s; we allow 3 s for the poll
 * interval plus the upload's one-second batching).
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { readChart, waitForChart } from "./support/charts.js";
import { useE2eFixture } from "./support/e2e-fixture.js";

const fx = useE2eFixture({ vision: false });
const CHILD = fileURLToPath(new URL("./support/live-run.mjs", import.meta.url));
let child: ChildProcessWithoutNullStreams | null = null;
let dir = "";

afterAll(async () => {
  if (child !== null && child.exitCode === null) {
    const exited = new Promise((resolve) => child?.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }
  if (dir !== "") await rm(dir, { recursive: true, force: true });
});

function startLiveRun(): Promise<string> {
  const server = fx.server();
  child = spawn(process.execPath, [CHILD, server.url, server.adminKey, dir, "live"]);
  const started = child;
  let stderr = "";
  started.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    let out = "";
    started.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /id (\S+)\n[^]*step 5\n/.exec(out);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    started.once("exit", (code) => reject(new Error(`live run exited (${code}): ${stderr}`)));
  });
}

describe("live updates", () => {
  it("the chart of a running run grows without a reload", async () => {
    dir = await mkdtemp(join(tmpdir(), "stepwise-e2e-live-"));
    const runId = await startLiveRun();
    const page = await fx.open("/local/live");
    await page
      .locator(`[data-testid="run-row"][data-run-id="${runId}"] [data-testid="state-badge"]`)
      .waitFor();
    await expect(
      page.locator(`[data-testid="run-row"][data-run-id="${runId}"] [data-testid="state-badge"]`).innerText(),
    ).resolves.toMatch(/running/i);
    await waitForChart(page, "loss", 1);
    const lastX = async () => (await readChart(page, "loss")).runs[0]?.x.at(-1) ?? -1;
    const first = await lastX();
    const since = Date.now();
    await page.waitForFunction(
      (first) => (window.__stepwiseCharts?.["loss"]?.runs[0]?.x.at(-1) ?? -1) > first,
      first,
      { timeout: 3_000, polling: 50 },
    );
    const grewAfterMs = Date.now() - since;
    expect(await lastX()).toBeGreaterThan(first);
    expect(grewAfterMs).toBeLessThan(3_000);
    // And again: it keeps following the run, not a single refresh.
    const second = await lastX();
    await page.waitForFunction(
      (second) => (window.__stepwiseCharts?.["loss"]?.runs[0]?.x.at(-1) ?? -1) > second,
      second,
      { timeout: 3_000, polling: 50 },
    );
  });
});
