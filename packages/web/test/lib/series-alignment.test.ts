import { describe, expect, it } from "vitest";
import type { SeriesResultDto } from "@stepwise/protocol";
import { alignLines, nearestIndex, runLine } from "../../src/lib/series-alignment.js";

const NONE = { kind: "none" } as const;

function series(x: number[], mean: (number | null)[], exact = true, spread = 0): SeriesResultDto {
  return {
    run: { entity: "e", project: "p", runId: "r" },
    key: "loss",
    exact,
    count: x.length,
    x,
    min: mean.map((v) => (v === null ? null : v - spread)),
    max: mean.map((v) => (v === null ? null : v + spread)),
    mean,
    last: mean,
    n: x.map(() => 1),
  };
}

describe("runLine", () => {
  it("plots each bucket's mean and keeps the band", () => {
    const line = runLine("a", series([0, 10], [1, 2], false, 0.5), NONE);
    expect(line).toMatchObject({ x: [0, 10], y: [1, 2], min: [0.5, 1.5], max: [1.5, 2.5], exact: false });
    expect(line.smoothed).toBeNull();
  });
  it("sorts an x that is not monotonic and merges buckets at the same x", () => {
    const s = series([2, 1, 2], [5, 6, 7], true, 1);
    s.min = [4, 5, 1];
    const line = runLine("a", s, NONE);
    expect(line.x).toEqual([1, 2]);
    expect(line.y).toEqual([6, 7]);
    expect(line.min).toEqual([5, 1]);
    expect(line.max).toEqual([7, 8]);
    expect(line.exact).toBe(false);
  });
  it("keeps an exact series exact when it only needed sorting", () => {
    const line = runLine("a", series([3, 1, 2], [30, 10, 20]), NONE);
    expect(line).toMatchObject({ x: [1, 2, 3], y: [10, 20, 30], exact: true });
  });
  it("smooths the run's own points", () => {
    const line = runLine("a", series([0, 1, 2], [1, 3, 5]), { kind: "avg", window: 2 });
    expect(line.smoothed).toEqual([1, 2, 4]);
  });
});

describe("alignLines", () => {
  it("aligns two runs with different x on the union, null where a run has no point", () => {
    const a = runLine("a", series([0, 2, 4], [1, 2, 3]), NONE);
    const b = runLine("b", series([1, 2, 5], [10, 20, 30]), NONE);
    const aligned = alignLines([a, b], false);
    expect(aligned.x).toEqual([0, 1, 2, 4, 5]);
    expect(aligned.lines[0]?.y).toEqual([1, null, 2, 3, null]);
    expect(aligned.lines[1]?.y).toEqual([null, 10, 20, null, 30]);
  });
  it("keeps a band only for downsampled runs", () => {
    const exact = runLine("a", series([0, 1], [1, 2], true), NONE);
    const sampled = runLine("b", series([0, 1], [1, 2], false, 1), NONE);
    const aligned = alignLines([exact, sampled], false);
    expect(aligned.lines[0]?.min).toBeNull();
    expect(aligned.lines[0]?.max).toBeNull();
    expect(aligned.lines[1]?.min).toEqual([0, 1]);
    expect(aligned.lines[1]?.max).toEqual([2, 3]);
  });
  it("shares x when every run has the same buckets", () => {
    const a = runLine("a", series([0, 5], [1, 2]), NONE);
    const b = runLine("b", series([0, 5], [3, 4]), NONE);
    const aligned = alignLines([a, b], false);
    expect(aligned.x).toBe(a.x);
    expect(aligned.lines[1]?.y).toEqual([3, 4]);
  });
  it("drops values a log scale cannot draw", () => {
    const a = runLine("a", series([0, 1, 2], [0, -1, 5], false, 0), NONE);
    expect(alignLines([a], true).lines[0]).toMatchObject({ y: [null, null, 5], min: [null, null, 5] });
  });
  it("aligns nothing to nothing", () => {
    expect(alignLines([], false)).toEqual({ x: [], lines: [] });
  });
});

describe("nearestIndex", () => {
  it("finds the closest x, ties to the left", () => {
    const x = [0, 10, 20];
    expect(nearestIndex(x, -5)).toBe(0);
    expect(nearestIndex(x, 4)).toBe(0);
    expect(nearestIndex(x, 5)).toBe(0);
    expect(nearestIndex(x, 6)).toBe(1);
    expect(nearestIndex(x, 99)).toBe(2);
    expect(nearestIndex([], 1)).toBe(-1);
  });
});
