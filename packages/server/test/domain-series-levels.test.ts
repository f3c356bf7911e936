import { describe, expect, it } from "vitest";
import { chooseLevel, coverRange, topLevel, unitSize } from "../src/domain/series-levels.js";

/** Positions a span list covers, in order, given the series length. */
function covered(spans: ReturnType<typeof coverRange>, count: number): Array<[number, number]> {
  return spans.map((s) => [s.from * unitSize(s.level), Math.min(s.to * unitSize(s.level), count)]);
}

describe("series levels", () => {
  it("keeps a level once the series is longer than one of its units", () => {
    expect([16, 17, 64, 65, 1025, 10_000_000].map(topLevel)).toEqual([0, 1, 1, 2, 4, 10]);
  });

  it("reads the coarsest level that still gives every bucket a whole unit", () => {
    expect(chooseLevel(10_000_000, 1000, 10_000_000)).toBe(5); // 4,096-point units: 2,441 of them
    expect(chooseLevel(100_000, 1000, 100_000)).toBe(2); // 64-point units: 1,562
    expect(chooseLevel(15_000, 1000, 100_000)).toBe(0); // fewer than 16 points a bucket: raw points
    expect(chooseLevel(100, 1, 100)).toBe(2); // never a level the series does not keep (256 > 100)
  });

  it("covers a range exactly and in order, coarse units in the middle and finer ones at the edges", () => {
    for (const [p0, p1, count] of [
      [0, 1_000_000, 1_000_000],
      [123_000, 131_000, 1_000_000],
      [5, 999_999, 1_000_000],
      [17, 18, 40],
      [1000, 123_457, 123_457],
    ] as const) {
      const level = chooseLevel(p1 - p0, 100, count);
      const spans = coverRange(p0, p1, level, count);
      const ranges = covered(spans, count);
      expect(ranges[0]?.[0]).toBe(p0);
      expect(ranges[ranges.length - 1]?.[1]).toBe(p1);
      for (let i = 1; i < ranges.length; i++) expect(ranges[i]?.[0]).toBe(ranges[i - 1]?.[1]);
      for (const span of spans) expect(span.level).toBeLessThanOrEqual(level);
      // Only a bounded number of spans: the middle, plus at most one finer span per level per side.
      expect(spans.length).toBeLessThanOrEqual(2 * level + 1);
    }
  });
});
