/**
 * Stopping a run from the server (UI or API: PATCH { stop: true }): by default the training
 * process is interrupted like Ctrl-C, the run finishes with exit code 255 and becomes `killed`,
 * with everything it logged uploaded; `settings.onStop` replaces the default.
 */
import { describe, expect, it } from "vitest";
import { init } from "../src/index.js";
import { fetchHistory, fetchRun, useServerPerTest, waitFor } from "./support/server-process.js";
import { useTempDirs } from "./support/temp-dir.js";
import { startUploadChild } from "./support/upload-child.js";

const tempDir = useTempDirs();
const startServer = useServerPerTest(tempDir);

function requestStop(url: string, run: { entity: string; project: string; id: string }): Promise<Response> {
  return fetch(`${url}/api/v1/runs/${run.entity}/${run.project}/${run.id}`, {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ stop: true }),
  });
}

describe("stop from the server", () => {
  it("interrupts a training process that logs forever; the run ends killed with all its rows", async () => {
    const server = await startServer();
    const training = startUploadChild("upload-stream.mjs", [tempDir(), server.url, "-1", "20", "20"]);
    const run = await training.run;
    const url = server.url;
    await waitFor(
      async () => Number((await fetchRun(url, run))?.["lastStep"] ?? -1) >= 20,
      10_000,
      "first rows",
    );
    expect((await requestStop(url, run)).status).toBe(200);
    const exit = await Promise.race([
      training.exit,
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 20_000)),
    ]);
    if (exit === null) training.child.kill("SIGKILL");
    expect(exit, "the training process ended by itself").not.toBeNull();
    expect(exit?.stderr).toContain("stopped from the server");
    const stored = await fetchRun(url, run);
    expect(stored).toMatchObject({ state: "killed", exitCode: 255 });
    const history = await fetchHistory(url, run);
    expect(history.length).toBe((stored?.["offsets"] as { history: number }).history);
    expect(history.map((row) => row["a"])).toEqual(history.map((_, i) => i));
  }, 40_000);

  it("calls settings.onStop instead, once", async () => {
    const server = await startServer();
    let stops = 0;
    const run = await init({
      dir: tempDir(),
      baseUrl: server.url,
      project: "stop",
      settings: { silent: true, onStop: () => stops++ },
    });
    run.log({ loss: 1 });
    const url = server.url;
    await waitFor(async () => (await fetchRun(url, run)) !== null, 10_000, "the run on the server");
    expect((await requestStop(url, run)).status).toBe(200);
    for (let i = 0; stops === 0 && i < 100; i++) {
      run.log({ loss: 1 / (i + 2) });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(stops).toBe(1);
    for (let i = 0; i < 30; i++) {
      run.log({ loss: 0 });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(stops).toBe(1);
    await run.finish();
    expect(await fetchRun(url, run)).toMatchObject({ state: "finished" });
  }, 30_000);
});
