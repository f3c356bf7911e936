/**
 * SIGKILL while the training thread runs a long synchronous step right after logging a row with
 * an image (and scalar rows after it): the event loop does not turn, so nothing on the training
 * thread can append the row once its PNG is written. docs/reliability.md promises that a crash
 * loses about the last 250 ms of rows, media rows included: killed 1.5 s after log() returned,
 * every row must be in the run log, in order, the image row with its `file` record.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { RunLogReader, resolveRunLog } from "../src/index.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();
const script = fileURLToPath(new URL("./fixtures/media-then-busy.mjs", import.meta.url));
/** Kill this long after the last log() returned: the documented ~250 ms with room for a loaded machine. */
const KILL_AFTER_MS = 1500;

async function killDuringBusyStep(root: string): Promise<void> {
  const child = spawn(process.execPath, [script, root], { stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  let ended = false;
  void exited.then(() => (ended = true));
  while (!output.includes("logged ") && !ended) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(ended, "the child reached its busy step").toBe(false);
  await new Promise((resolve) => setTimeout(resolve, KILL_AFTER_MS));
  expect(output, "the kill lands during the busy step").not.toContain("done ");
  child.kill("SIGKILL");
  await exited;
}

describe("SIGKILL during a synchronous step after logging media", () => {
  it("keeps the image row, its file and every row logged before the step", async () => {
    const root = tempDir();
    await killDuringBusyStep(root);

    const { logFile } = resolveRunLog(join(root, "stepwise", "latest-run"));
    const reader = new RunLogReader(logFile);
    const rows: Array<Record<string, unknown>> = [];
    const mediaFiles = new Map<string, string>();
    for (const { record } of reader.records()) {
      if (record.t === "history") rows.push(record.row);
      if (record.t === "file" && record.path.startsWith("media/") && "local" in record.source)
        mediaFiles.set(record.path, record.source.local);
    }
    expect(reader.issues.filter((issue) => issue.kind !== "torn-tail")).toEqual([]);
    expect(rows.map((row) => row["_step"])).toEqual([0, 1, 2, 3, 4, 5]);
    expect(rows.map((row) => row["loss"])).toEqual([1, 1 / 2, 1 / 3, 1 / 4, 1 / 5, 1 / 6]);
    const image = rows[3]?.["img"] as { _type: string; path: string; width: number } | undefined;
    expect(image?._type).toBe("image-file");
    expect(image?.width).toBe(64);
    const local = mediaFiles.get(image?.path ?? "");
    expect(local, "the image's file record precedes its row").toBeDefined();
    expect(existsSync(local as string), "the image file is on disk").toBe(true);
  });
});
