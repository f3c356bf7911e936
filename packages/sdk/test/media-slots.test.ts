/**
 * A file slot given up on is retired until its late result lands (media-queue.ts allocateSlot):
 * with a 100 ms wait, a video whose (stand-in) ffmpeg fails after 1 s is left out of its row;
 * the 4,096 images logged next wrap the slot table past the retired slot, every row still
 * arrives in order, no image is reported with the video's late failure, and each image kept
 * holds its own file (sha256 of the bytes on disk). On this 2-core machine (one media thread)
 * the old reuse race does not show: the late result needs a second thread to land after the
 * reused slot's own result, so this guards the retirement path rather than reproducing the race.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { RunRecord } from "@stepwise/protocol";
import { Image, Video } from "../src/index.js";
import { TO_LOGGED, type Loggable } from "../src/media/logged-value.js";
import { PendingMedia } from "../src/media/pending-media.js";
import { RESULT_SLOTS } from "../src/media/media-results.js";
import { MediaQueue } from "../src/runlog/media-queue.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();
const stubDir = fileURLToPath(new URL("./fixtures/late-ffmpeg", import.meta.url));
const path = process.env["PATH"];
afterAll(() => {
  process.env["PATH"] = path;
});

function pending(value: Loggable, key: string): PendingMedia {
  return new PendingMedia(value[TO_LOGGED]({ context: "log()", path: [key], key: `key "${key}"` }), [key]);
}

describe("media result slots", () => {
  it("never hands a slot's late result to the file that reuses it", () => {
    process.env["PATH"] = `${stubDir}${delimiter}${path ?? ""}`;
    const runDir = tempDir();
    const rows: Array<Record<string, unknown>> = [];
    const warnings: string[] = [];
    const queue = new MediaQueue(
      runDir,
      {
        appendRow: (row) => rows.push(JSON.parse(JSON.stringify(row)) as Record<string, unknown>),
        appendRecord: (_record: RunRecord) => undefined,
        setConfig: () => undefined,
        warn: (_cause, message) => warnings.push(message),
      },
      100,
    );
    const frames = { data: new Uint8Array(2 * 3 * 8 * 8), shape: [2, 3, 8, 8] };
    queue.enqueueRow({ _step: 0, vid: pending(new Video(frames, { format: "mp4" }), "vid") });
    queue.drain(true);
    expect(rows[0]).toEqual({ _step: 0 });
    for (let step = 1; step <= RESULT_SLOTS; step++) {
      const pixels = new Uint8Array([step & 255, step >> 8, 7]);
      queue.enqueueRow({ _step: step, img: pending(new Image({ data: pixels, shape: [1, 1, 3] }), "img") });
    }
    queue.close();
    expect(rows.map((row) => row["_step"])).toEqual(Array.from({ length: RESULT_SLOTS + 1 }, (_, i) => i));
    expect(
      warnings.filter((message) => message.includes("key img") || message.includes("of img")).join("\n"),
    ).not.toMatch(/stand-in ffmpeg failed late/);
    let kept = 0;
    for (const row of rows.slice(1)) {
      const img = row["img"] as { path: string; sha256: string } | undefined;
      if (img === undefined) continue;
      kept++;
      const bytes = readFileSync(join(runDir, "files", img.path));
      expect(createHash("sha256").update(bytes).digest("hex")).toBe(img.sha256);
    }
    expect(kept).toBeGreaterThan(0);
  }, 60_000);
});
