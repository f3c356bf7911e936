/**
 * A stuck ffmpeg (a stand-in on PATH that never exits) costs one video, not the run: ffmpeg is
 * killed after its timeout (encode-video.ts), finish() returns well inside the 120 s close
 * bound, the image logged after the video is in its row and on disk, every row is in the log,
 * and the warning names the key whose video was left out.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readOfflineRun, RunLogReader } from "../src/index.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();
const script = fileURLToPath(new URL("./fixtures/media-stuck-ffmpeg.mjs", import.meta.url));
const stubDir = fileURLToPath(new URL("./fixtures/stuck-ffmpeg", import.meta.url));

describe("a stuck ffmpeg", () => {
  it("is killed after its timeout; later media and rows are kept and the warning names the key", async () => {
    const root = tempDir();
    const child = spawn(process.execPath, [script, root], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, PATH: `${stubDir}${delimiter}${process.env["PATH"] ?? ""}` },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.once("exit", resolve));
    expect(code).toBe(0);
    const finishMs = Number(/finish (\d+)/.exec(stdout)?.[1]);
    // 15 s ffmpeg timeout (was: no timeout, and 120 s per file at finish).
    expect(finishMs).toBeLessThan(40_000);
    expect(stderr).toMatch(/vid.*ffmpeg did not finish mp4 within 15 s and was killed/);

    const runDir = join(root, "stepwise", "latest-run");
    const rows: Array<Record<string, unknown>> = [];
    for (const { record } of new RunLogReader(readOfflineRun(runDir).logFile).records())
      if (record.t === "history") rows.push(record.row);
    expect(rows.map((row) => row["loss"])).toEqual([0, 1, 2]);
    expect(rows[0]?.["vid"]).toBeUndefined();
    const img = rows[1]?.["img"] as { path: string; sha256: string };
    const bytes = readFileSync(join(runDir, "files", img.path));
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(img.sha256);
  }, 90_000);
});
