/**
 * Images whose jobs go to the media threads through the job ring (media/job-ring.ts: pooled
 * pixels, the buffer and the job's shape told to a thread once) are stored exactly as logged:
 * many distinct images in a tight loop, two keys and two sizes interleaved, uint8 and float32,
 * from caller buffers overwritten right after each log(). The burst holds more buffers than the
 * pool keeps free per size, so buffers leave the pool when released and new ones are told to
 * the threads while earlier ones are still being encoded; a buffer reused too early, or a job
 * read with another job's buffer, shape or step, shows as a wrong pixel or a wrong file name.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { decode } from "fast-png";
import { describe, expect, it } from "vitest";
import { Image } from "../src/index.js";
import { poolStats } from "../src/media/pixel-buffers.js";
import { offlineRun, storedRows } from "./support/offline-run.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();

/** The byte at `i` of image `n` of a key (distinct per image and per key). */
function byteAt(i: number, n: number, seed: number): number {
  return (i * (n + seed) + (i >> 8) * (n ^ seed) + n * 7) & 255;
}

function stored(runDir: string, value: unknown): { data: Uint8Array; width: number; height: number } {
  const file = value as { path: string };
  const png = decode(readFileSync(join(runDir, "files", file.path)));
  return { data: png.data as Uint8Array, width: png.width, height: png.height };
}

describe("media job ring", () => {
  it("stores every image of a fast burst with exactly its pixels, at its own step", async () => {
    const run = await offlineRun(tempDir());
    const steps = 150;
    const big = new Uint8Array(256 * 256 * 3);
    const wide = new Float32Array(200 * 120 * 3);
    for (let step = 0; step < steps; step++) {
      for (let i = 0; i < big.length; i++) big[i] = byteAt(i, step, 1);
      const row: Record<string, unknown> = { big: new Image({ data: big, shape: [256, 256, 3] }) };
      if (step % 3 === 0) {
        for (let i = 0; i < wide.length; i++) wide[i] = byteAt(i, step, 2) / 255;
        row["wide"] = new Image({ data: wide, shape: [120, 200, 3] });
      }
      run.log(row);
      big.fill(step & 1 ? 0 : 255); // the caller's next use of its buffers, before the encoder ran
      wide.fill(0.5);
    }
    await run.finish();
    const rows = storedRows(run.dir);
    expect(rows.map((row) => row["_step"])).toEqual(Array.from({ length: steps }, (_, i) => i));
    for (const row of rows) {
      const step = row["_step"] as number;
      const image = stored(run.dir, row["big"]);
      expect([image.width, image.height]).toEqual([256, 256]);
      expect((row["big"] as { path: string }).path).toMatch(new RegExp(`^media/images/big_${step}_`));
      const expected = Uint8Array.from({ length: 256 * 256 * 3 }, (_, i) => byteAt(i, step, 1));
      expect(Buffer.compare(Buffer.from(image.data), Buffer.from(expected)), `big at step ${step}`).toBe(0);
      if (step % 3 !== 0) {
        expect(row["wide"]).toBeUndefined();
        continue;
      }
      const other = stored(run.dir, row["wide"]);
      expect([other.width, other.height]).toEqual([200, 120]);
      expect((row["wide"] as { path: string }).path).toMatch(new RegExp(`^media/images/wide_${step}_`));
      // Floats in [0, 1]: W&B's rule multiplies by 255 and truncates.
      const floats = Uint8Array.from({ length: 200 * 120 * 3 }, (_, i) =>
        Math.trunc(Math.fround(byteAt(i, step, 2) / 255) * 255),
      );
      expect(Buffer.compare(Buffer.from(other.data), Buffer.from(floats)), `wide at step ${step}`).toBe(0);
    }
    expect(poolStats().held).toBe(0);
  }, 120_000);

  it("writes each row with its own image's caption and size (the row template is reused only when equal)", async () => {
    const run = await offlineRun(tempDir());
    const sizes = [256, 256, 200, 256];
    const captions = ["a", "a", "a", undefined, "b", "b", 'q"uote'];
    for (let step = 0; step < 14; step++) {
      const side = sizes[step % sizes.length] as number;
      const caption = captions[step % captions.length];
      const pixels = new Uint8Array(side * side * 3).fill(10 + step);
      run.log({
        img: new Image({ data: pixels, shape: [side, side, 3] }, caption === undefined ? {} : { caption }),
      });
    }
    await run.finish();
    const rows = storedRows(run.dir);
    expect(rows).toHaveLength(14);
    for (const row of rows) {
      const step = row["_step"] as number;
      const side = sizes[step % sizes.length] as number;
      const image = row["img"] as Record<string, unknown>;
      expect([image["width"], image["height"], image["caption"]]).toEqual([
        side,
        side,
        captions[step % captions.length],
      ]);
      expect(stored(run.dir, image).data[0]).toBe(10 + step);
    }
  }, 60_000);

  it("stores an explicit summary image and the logged one of the same key apart", async () => {
    const run = await offlineRun(tempDir());
    const pixels = new Uint8Array(256 * 256 * 3);
    for (let i = 0; i < pixels.length; i++) pixels[i] = byteAt(i, 1, 3);
    run.log({ shot: new Image({ data: pixels, shape: [256, 256, 3] }) });
    for (let i = 0; i < pixels.length; i++) pixels[i] = byteAt(i, 2, 3);
    run.summary["shot"] = new Image({ data: pixels, shape: [256, 256, 3] });
    pixels.fill(0);
    await run.finish();
    const [row] = storedRows(run.dir);
    expect((row?.["shot"] as { path: string }).path).toMatch(/^media\/images\/shot_0_/);
    const logged = stored(run.dir, row?.["shot"]);
    const expected = Uint8Array.from({ length: pixels.length }, (_, i) => byteAt(i, 1, 3));
    expect(Buffer.compare(Buffer.from(logged.data), Buffer.from(expected))).toBe(0);
    const summary = JSON.parse(readFileSync(join(run.dir, "files", "summary.json"), "utf8")) as Record<
      string,
      { path: string }
    >;
    expect(summary["shot"]?.path).toMatch(/^media\/images\/shot_summary_/);
    const fromSummary = stored(run.dir, summary["shot"]);
    const expectedSummary = Uint8Array.from({ length: pixels.length }, (_, i) => byteAt(i, 2, 3));
    expect(Buffer.compare(Buffer.from(fromSummary.data), Buffer.from(expectedSummary))).toBe(0);
  }, 60_000);
});
