/** run.status(): how much of the run the server has acknowledged, online and offline. */
import { describe, expect, it } from "vitest";
import { init } from "../src/index.js";
import { useServerPerTest } from "./support/server-process.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();
const startServer = useServerPerTest(tempDir);

describe("run.status()", () => {
  it("reaches zero pending bytes once the server has everything, and reports when", async () => {
    const server = await startServer();
    const run = await init({
      dir: tempDir(),
      baseUrl: server.url,
      project: "status",
      settings: { silent: true },
    });
    for (let step = 0; step < 1000; step++) run.log({ loss: 1 / (step + 1) });
    let status = await run.status();
    expect(status.mode).toBe("online");
    expect(status.loggedBytes).toBeGreaterThan(1000 * 13);
    const deadline = Date.now() + 10_000;
    while (status.pendingBytes > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = await run.status();
    }
    expect(status.pendingBytes).toBe(0);
    expect(status.syncedBytes).toBe(status.loggedBytes);
    expect(status.reachable).toBe(true);
    expect(status.syncedAt?.getTime()).toBeGreaterThan(Date.now() - 15_000);
    await run.finish();
    const after = await run.status();
    expect(after.pendingBytes).toBe(0);
    expect(after.loggedBytes).toBeGreaterThan(status.loggedBytes); // the summary snapshot and exit
  }, 30_000);

  it("keeps everything pending while the server is unreachable, and offline", async () => {
    const down = await init({
      dir: tempDir(),
      baseUrl: "http://127.0.0.1:9", // nothing listens on the discard port
      project: "status",
      settings: { silent: true, finishTimeoutMs: 100 },
    });
    down.log({ loss: 1 });
    let status = await down.status();
    const deadline = Date.now() + 5_000;
    while (status.reachable === null && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = await down.status();
    }
    expect(status).toMatchObject({ mode: "online", syncedBytes: 0, reachable: false, syncedAt: null });
    expect(status.pendingBytes).toBe(status.loggedBytes);
    await down.finish();

    const offline = await init({
      dir: tempDir(),
      mode: "offline",
      project: "status",
      settings: { silent: true },
    });
    offline.log({ loss: 1 });
    const local = await offline.status();
    expect(local).toMatchObject({ mode: "offline", syncedBytes: 0, reachable: null, syncedAt: null });
    expect(local.pendingBytes).toBeGreaterThan(0);
    await offline.finish();
  }, 30_000);
});
