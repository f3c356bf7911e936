import { describe, expect, it } from "vitest";
import { SeriesBuckets } from "../src/domain/series-buckets.js";
import { STATS_STRIDE, statsOfPoints } from "../src/domain/series-stats.js";

describe("series buckets", () => {
  it("gives every point its own bucket when the range fits the budget", () => {
    const buckets = new SeriesBuckets(10, 3, 5);
    buckets.addPoint(10, 1, 5);
    buckets.addPoint(11, 2, Number.NaN);
    buckets.addPoint(12, 3, -1);
    expect(buckets.finish()).toEqual({
      x: [1, 2, 3],
      min: [5, null, -1],
      max: [5, null, -1],
      mean: [5, null, -1],
      last: [5, null, -1],
      n: [1, 1, 1],
    });
  });

  it("merges units and points into equal shares of the range, keeping min, max, mean and last", () => {
    const xs = Float64Array.from({ length: 64 }, (_, i) => i * 2);
    const ys = Float64Array.from({ length: 64 }, (_, i) => (i === 37 ? 1000 : i));
    const units = new Float64Array(4 * STATS_STRIDE);
    for (let u = 0; u < 4; u++) statsOfPoints(xs, ys, u * 16, u * 16 + 16, units, u);
    const buckets = new SeriesBuckets(0, 64, 2);
    for (let u = 0; u < 4; u++) buckets.addUnit(u * 16, 16, units, u);
    const result = buckets.finish();
    expect(result.x).toEqual([0, 64]);
    expect(result.n).toEqual([32, 32]);
    expect(result.min).toEqual([0, 32]);
    expect(result.max).toEqual([31, 1000]);
    expect(result.last).toEqual([31, 63]);
    expect(result.mean[0]).toBeCloseTo(15.5, 12);
  });

  it("counts non-finite values as points but leaves them out of min, max and mean", () => {
    const buckets = new SeriesBuckets(0, 4, 1);
    for (const [i, y] of [1, Number.POSITIVE_INFINITY, 3, Number.NaN].entries()) buckets.addPoint(i, i, y);
    expect(buckets.finish()).toEqual({ x: [0], min: [1], max: [3], mean: [2], last: [null], n: [4] });
  });
});
