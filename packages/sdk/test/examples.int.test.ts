/**
 * The README's two steps work as documented: `npm start` (the server) and the example
 * (examples/quickstart.mjs), which logs online to it and finishes with everything uploaded.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { Api, readOfflineRun } from "../src/index.js";
import { startServerProcess, type ServerProcess } from "./support/server-process.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();
const example = fileURLToPath(new URL("../../../examples/quickstart.mjs", import.meta.url));
const readme = fileURLToPath(new URL("../../../README.md", import.meta.url));
let server: ServerProcess | null = null;
afterEach(async () => {
  await server?.kill("SIGTERM");
  server = null;
});

describe("examples", () => {
  it("quickstart logs a run to the server that reads back with its config, history and summary", async () => {
    server = await startServerProcess(tempDir());
    const dir = tempDir();
    const { stderr } = await promisify(execFile)(process.execPath, [example], {
      env: { ...process.env, STEPWISE_DIR: dir, STEPWISE_BASE_URL: server.url },
    });
    expect(stderr).toContain("Run history:");
    const local = readOfflineRun(`${dir}/stepwise/latest-run`);
    expect(local.info).toMatchObject({
      project: "quickstart",
      state: "finished",
      historyRows: 300,
      lastStep: 299,
    });

    const remote = await new Api({ baseUrl: server.url }).run(
      `${local.info.entity}/quickstart/${local.info.id}`,
    );
    expect(remote).toMatchObject({ state: "finished", lastStep: 299 });
    expect(remote.config).toEqual({ lr: 0.01, epochs: 3 });
    expect(remote.summary["val/acc"]).toEqual({ max: expect.any(Number) as number });
    expect(remote.summary["note"]).toBe("demo");
    let rows = 0;
    for await (const row of remote.scanHistory()) rows += row["_step"] === rows ? 1 : 0;
    expect(rows).toBe(300);
  });

  it("the README shows the same loop as the example", () => {
    const text = readFileSync(readme, "utf8");
    const loop = readFileSync(example, "utf8")
      .split("\n")
      .filter((line) => line.includes("run.log(") || line.includes("init("));
    for (const line of loop) expect(text).toContain(line.trim());
  });
});
