/**
 * The pixels log() copies into reused (pooled, shared) buffers are exactly what reaches the PNG
 * file: images large enough to be pooled (256×256 RGB uint8, 128×128 RGBA float32) are logged
 * from ONE user buffer that is overwritten with the next image — and scribbled over — right
 * after each log() returns, in a burst that makes the media thread reuse buffers while later
 * images are queued. Each stored PNG is decoded (fast-png) and compared with what was logged at
 * its step; after finish() no pooled buffer is still held.
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

/** Distinct, non-trivial content per step (a gradient and the step's own pattern). */
function fillRgb(pixels: Uint8Array, step: number): void {
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * (step + 3) + (i >> 9) * step + step * 7) & 255;
}

function storedPixels(runDir: string, row: Record<string, unknown>, key: string): Uint8Array {
  const file = row[key] as { path: string };
  const png = decode(readFileSync(join(runDir, "files", file.path)));
  return png.data as Uint8Array;
}

describe("pooled pixel copies", () => {
  it("write exactly the logged pixels, though the caller reuses its buffer right after log()", async () => {
    const run = await offlineRun(tempDir());
    const side = 256;
    const pixels = new Uint8Array(side * side * 3);
    const steps = 40;
    for (let step = 0; step < steps; step++) {
      fillRgb(pixels, step);
      run.log({ img: new Image({ data: pixels, shape: [side, side, 3] }) });
      pixels.fill(step & 1 ? 0 : 255); // the caller's next use of its buffer, before the encoder ran
    }
    await run.finish();
    const rows = storedRows(run.dir);
    expect(rows.map((row) => row["_step"])).toEqual(Array.from({ length: steps }, (_, i) => i));
    const expected = new Uint8Array(side * side * 3);
    for (const row of rows) {
      fillRgb(expected, row["_step"] as number);
      expect(Buffer.compare(Buffer.from(storedPixels(run.dir, row, "img")), Buffer.from(expected))).toBe(0);
    }
    expect(poolStats().held).toBe(0);
    expect(poolStats().free).toBeGreaterThan(0);
  }, 60_000);

  it("write exactly the logged float pixels (scaled as W&B does) from a reused Float32Array", async () => {
    const run = await offlineRun(tempDir());
    const side = 128;
    const values = new Float32Array(side * side * 4);
    const steps = 12;
    const valueAt = (i: number, step: number): number => ((i * 13 + step * 31) % 256) / 255;
    for (let step = 0; step < steps; step++) {
      for (let i = 0; i < values.length; i++) values[i] = valueAt(i, step);
      run.log({ rgba: new Image({ data: values, shape: [side, side, 4] }) });
      values.fill(0.5);
    }
    await run.finish();
    const rows = storedRows(run.dir);
    expect(rows).toHaveLength(steps);
    for (const row of rows) {
      const step = row["_step"] as number;
      const stored = storedPixels(run.dir, row, "rgba");
      expect(stored).toHaveLength(side * side * 4);
      // All values in [0, 1]: W&B's rule multiplies by 255 and truncates.
      const expected = Uint8Array.from({ length: stored.length }, (_, i) =>
        Math.trunc(Math.fround(valueAt(i, step)) * 255),
      );
      expect(Buffer.compare(Buffer.from(stored), Buffer.from(expected))).toBe(0);
    }
    expect(poolStats().held).toBe(0);
  }, 60_000);
});
