/**
 * A training script given inline as an ES module (`node --input-type=module -e "…"`): the SDK's
 * threads inherit that option, and the run log's writer (a script body started with eval) could
 * not start under it — the rows never reached the disk and finish() waited its whole timeout.
 * (The media threads, file workers, refused the option outright.) The rows logged must be in the
 * run log, the image's file written, and the script must end without that wait.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { storedRows } from "./support/offline-run.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();

const script = `
import { Image, init } from "@stepwise/sdk";
const run = await init({ mode: "offline", dir: process.argv[1], project: "inline", settings: { finishTimeoutMs: 20000 } });
for (let step = 0; step < 3; step++) run.log({ loss: 1 / (step + 1), nested: { acc: step / 4 } });
run.log({ pic: new Image({ data: new Uint8Array(4 * 2 * 3).fill(9), shape: [2, 4, 3] }) });
await run.finish();
`;

describe("a script passed with --input-type=module -e", () => {
  it("writes every row it logged, and its threads start", () => {
    const dir = tempDir();
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", script, dir], {
      // Resolves @stepwise/sdk (the built package) from here.
      cwd: fileURLToPath(new URL(".", import.meta.url)),
      encoding: "utf8",
      timeout: 25_000,
    });
    expect(child.status, child.stderr).toBe(0);
    expect(child.stderr).not.toMatch(/writer thread failed|timed out waiting|stopped|could not be written/);
    const rows = storedRows(join(dir, "stepwise", "latest-run"));
    expect(rows.slice(0, 3)).toEqual([
      { loss: 1, nested: { acc: 0 }, _step: 0 },
      { loss: 1 / 2, nested: { acc: 1 / 4 }, _step: 1 },
      { loss: 1 / 3, nested: { acc: 2 / 4 }, _step: 2 },
    ]);
    // The image row, its file written by a media thread.
    expect(rows[3]).toMatchObject({ _step: 3, pic: { _type: "image-file", width: 4, height: 2 } });
  });
});
