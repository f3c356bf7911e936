/**
 * Media given as file paths: a file over 2 GiB (sparse, so it costs no disk) is refused at
 * log() with an InvalidDataError naming the key, at once — no copy is made and nothing of the
 * call is logged (it was copied for 2.35 s and then dropped by the worker) — and an image file
 * is measured from its header only, so its row holds the real width and height.
 */
import { closeSync, existsSync, openSync, ftruncateSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InvalidDataError } from "@stepwise/protocol";
import { Image, Video } from "../src/index.js";
import { encodePng } from "../src/media/encode/encode-png.js";
import { offlineRun, storedRows } from "./support/offline-run.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();

describe("media files given by path", () => {
  it("refuses a file over 2 GiB at log(), naming the key, without copying it", async () => {
    const dir = tempDir();
    const big = join(dir, "big.mp4");
    const fd = openSync(big, "w");
    ftruncateSync(fd, 2 ** 31 + 1);
    closeSync(fd);
    const run = await offlineRun(dir);
    const stagingDir = join(tmpdir(), `stepwise-media-${process.pid}`);
    const staged = (): number => (existsSync(stagingDir) ? readdirSync(stagingDir).length : 0);
    const stagedBefore = staged();
    const started = performance.now();
    let error: unknown;
    try {
      run.log({ loss: 1, clip: new Video(big) });
    } catch (caught) {
      error = caught;
    }
    expect(performance.now() - started).toBeLessThan(500);
    expect(error).toBeInstanceOf(InvalidDataError);
    expect((error as Error).message).toMatch(/key "clip".*2\.00 GiB; a media file may be at most 2 GiB/);
    expect(staged()).toBe(stagedBefore);
    run.log({ loss: 2 });
    await run.finish();
    expect(storedRows(run.dir)).toEqual([{ loss: 2, _step: 0 }]);
  });

  it("reads an image file's size from its header", async () => {
    const dir = tempDir();
    const path = join(dir, "pic.png");
    const pixels = new Uint8Array(5 * 3 * 3).fill(9);
    writeFileSync(path, encodePng({ pixels, width: 5, height: 3, channels: 3, scale: "none" }));
    const run = await offlineRun(dir);
    run.log({ pic: new Image(path) });
    await run.finish();
    expect(storedRows(run.dir)[0]?.["pic"]).toMatchObject({ format: "png", width: 5, height: 3 });
  });
});
