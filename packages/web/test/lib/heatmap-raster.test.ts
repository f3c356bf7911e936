import { describe, expect, it } from "vitest";
import {
  binAt,
  binRange,
  frameAt,
  frameRange,
  rasterize,
  type HistogramFrame,
} from "../../src/lib/heatmap-raster.js";
import { HEATMAP_RAMP, LUT_SIZE, paintCells, rampIndex } from "../../src/lib/heatmap-colors.js";

const frame = (x: number, bins: number[], counts: number[]): HistogramFrame => ({ x, step: x, bins, counts });

describe("rasterize", () => {
  // Two frames of two bins over [0, 2]: a 4 × 4 raster shows each frame in two columns and each
  // bin in two rows, the upper bin (values 1..2) at the top.
  const frames = [frame(0, [0, 1, 2], [3, 5]), frame(1, [0, 1, 2], [7, 0])];
  const box = { width: 4, height: 4, xMin: 0, xMax: 2, yMin: 0, yMax: 2 };

  it("fills each frame's columns and each bin's rows with its count", () => {
    const { cells, max } = rasterize(frames, box);
    expect(max).toBe(7);
    const rows = [0, 1, 2, 3].map((r) => [...cells.slice(r * 4, r * 4 + 4)]);
    expect(rows).toEqual([
      [5, 5, 0, 0],
      [5, 5, 0, 0],
      [3, 3, 7, 7],
      [3, 3, 7, 7],
    ]);
  });

  it("keeps the largest count where many frames share a pixel column", () => {
    const many = Array.from({ length: 100 }, (_, i) => frame(i, [0, 1], [i === 37 ? 1000 : 1]));
    const { cells, max } = rasterize(many, { width: 10, height: 1, xMin: 0, xMax: 100, yMin: 0, yMax: 1 });
    expect(max).toBe(1000);
    expect([...cells]).toEqual([1, 1, 1, 1000, 1, 1, 1, 1, 1, 1]);
  });

  it("keeps uneven edges: a narrow bin covers only its own rows", () => {
    const uneven = [frame(0, [0, 9, 10], [1, 4])];
    const { cells } = rasterize(uneven, { width: 1, height: 10, xMin: 0, xMax: 1, yMin: 0, yMax: 10 });
    expect([...cells]).toEqual([4, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it("leaves pixels no bin reaches empty (NaN), and draws only frames inside the x range", () => {
    const narrow = [frame(0, [0, 1], [2]), frame(10, [0, 1], [9])];
    const { cells, max } = rasterize(narrow, { width: 2, height: 2, xMin: 10, xMax: 12, yMin: 0, yMax: 2 });
    expect(max).toBe(9);
    expect([...cells]).toEqual([NaN, NaN, 9, 9]);
  });
});

describe("frameAt and binAt (the tooltip)", () => {
  const frames = [frame(0, [0, 1, 2], [3, 5]), frame(10, [-1, 0, 4], [2, 6])];
  it("finds the frame whose column holds x, none before the first or past the last's column", () => {
    expect(frameAt(frames, -1)).toBeNull();
    expect(frameAt(frames, 0)?.x).toBe(0);
    expect(frameAt(frames, 9.9)?.x).toBe(0);
    expect(frameAt(frames, 10)?.x).toBe(10);
    expect(frameAt(frames, 19.9)?.x).toBe(10);
    expect(frameAt(frames, 20)).toBeNull();
  });
  it("finds the bin holding y, half-open but for the last edge", () => {
    const second = frames[1] as HistogramFrame;
    expect(binAt(second, -1)).toEqual({ index: 0, lo: -1, hi: 0, count: 2, last: false });
    expect(binAt(second, 0)).toEqual({ index: 1, lo: 0, hi: 4, count: 6, last: true });
    expect(binAt(second, 4)).toEqual({ index: 1, lo: 0, hi: 4, count: 6, last: true });
    expect(binAt(second, 4.01)).toBeNull();
  });
  it("ranges: x to the last frame's end, y over every frame's edges", () => {
    expect(frameRange(frames)).toEqual([0, 20]);
    expect(binRange(frames)).toEqual([-1, 4]);
    expect(binRange([])).toBeNull();
  });
});

describe("heatmap colours", () => {
  it("leaves empty and zero cells transparent, any count at least the ramp's second colour, the max the darkest", () => {
    expect(rampIndex(0, 100)).toBe(0);
    expect(rampIndex(1, 1_000_000)).toBe(1);
    expect(rampIndex(100, 100)).toBe(LUT_SIZE - 1);
    const rgba = paintCells(Float32Array.from([NaN, 0, 100]), 100);
    expect([...rgba.slice(0, 4)]).toEqual([0, 0, 0, 0]);
    expect([...rgba.slice(4, 8)]).toEqual([0, 0, 0, 0]);
    expect([...rgba.slice(8, 12)]).toEqual([...(HEATMAP_RAMP[LUT_SIZE - 1] ?? []), 255]);
  });
});
