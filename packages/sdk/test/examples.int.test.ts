/** The README's example (examples/quickstart.mjs, which `npm start` runs) works as documented. */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readOfflineRun } from "../src/index.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();
const example = fileURLToPath(new URL("../../../examples/quickstart.mjs", import.meta.url));
const readme = fileURLToPath(new URL("../../../README.md", import.meta.url));

describe("examples", () => {
  it("quickstart logs a run that reads back with its config, history and summary", async () => {
    const dir = tempDir();
    const { stderr } = await promisify(execFile)(process.execPath, [example], {
      env: { ...process.env, STEPWISE_DIR: dir },
    });
    expect(stderr).toContain("Run history:");
    const run = readOfflineRun(`${dir}/stepwise/latest-run`);
    expect(run.info).toMatchObject({
      project: "quickstart",
      state: "finished",
      historyRows: 300,
      lastStep: 299,
    });
    expect(run.config).toEqual({ lr: 0.01, epochs: 3 });
    expect(run.summary["val/acc"]).toEqual({ max: expect.any(Number) as number });
    expect(run.summary["note"]).toBe("demo");
  });

  it("the README shows the same loop as the example", () => {
    const text = readFileSync(readme, "utf8");
    const loop = readFileSync(example, "utf8")
      .split("\n")
      .filter((line) => line.includes("run.log(") || line.includes("init("));
    for (const line of loop) expect(text).toContain(line.trim());
  });
});
