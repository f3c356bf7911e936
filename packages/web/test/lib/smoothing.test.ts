import { describe, expect, it } from "vitest";
import {
  emaSmooth,
  formatSmoothing,
  parseSmoothing,
  runningAverage,
  smoothValues,
} from "../../src/lib/smoothing.js";

describe("emaSmooth", () => {
  it("matches the debiased EMA worked out by hand (weight 0.5)", () => {
    // acc: 0.5, 1.25, 2.125, 3.0625; debias: 1 - 0.5^n → 1, 5/3, 17/7, 49/15
    const out = emaSmooth([1, 2, 3, 4], 0.5);
    expect(out[0]).toBe(1);
    expect(out[1]).toBeCloseTo(5 / 3, 12);
    expect(out[2]).toBeCloseTo(17 / 7, 12);
    expect(out[3]).toBeCloseTo(49 / 15, 12);
  });
  it("starts at the first raw value instead of near zero (debiasing)", () => {
    expect(emaSmooth([10, 10, 10], 0.99)).toEqual([10, expect.closeTo(10, 9), expect.closeTo(10, 9)]);
  });
  it("weight 0 is the raw line", () => {
    expect(emaSmooth([3, -1, 7], 0)).toEqual([3, -1, 7]);
  });
  it("skips null and NaN: they stay gaps and do not enter the average", () => {
    // second finite value: acc = 0.25 + 1.5 = 1.75, debias 0.75 → 7/3
    const out = emaSmooth([1, null, Number.NaN, 3], 0.5);
    expect(out.slice(0, 3)).toEqual([1, null, null]);
    expect(out[3]).toBeCloseTo(7 / 3, 12);
  });
  it("clamps the weight to 0.999", () => {
    expect(emaSmooth([0, 1], 5)[1]).toBeCloseTo((0.001 * 1) / (1 - 0.999 ** 2), 9);
  });
});

describe("runningAverage", () => {
  it("averages the trailing window", () => {
    expect(runningAverage([1, 2, 3, 4, 5], 2)).toEqual([1, 1.5, 2.5, 3.5, 4.5]);
    expect(runningAverage([1, 2, 3, 4, 5], 3)).toEqual([1, 1.5, 2, 3, 4]);
  });
  it("counts only finite values in the window", () => {
    expect(runningAverage([1, 2, 3, null, 5], 2)).toEqual([1, 1.5, 2.5, null, 4]);
  });
  it("window 1 is the raw line", () => {
    expect(runningAverage([4, null, 6], 1)).toEqual([4, null, 6]);
  });
});

describe("parseSmoothing / formatSmoothing", () => {
  it("reads the URL spec", () => {
    expect(parseSmoothing("ema:0.6")).toEqual({ kind: "ema", weight: 0.6 });
    expect(parseSmoothing("avg:10")).toEqual({ kind: "avg", window: 10 });
    expect(parseSmoothing("")).toEqual({ kind: "none" });
    expect(parseSmoothing("spline:3")).toEqual({ kind: "none" });
  });
  it("defaults and clamps missing or out-of-range arguments", () => {
    expect(parseSmoothing("ema")).toEqual({ kind: "ema", weight: 0.6 });
    expect(parseSmoothing("ema:2")).toEqual({ kind: "ema", weight: 0.999 });
    expect(parseSmoothing("avg:0")).toEqual({ kind: "avg", window: 1 });
    expect(parseSmoothing("avg:x")).toEqual({ kind: "avg", window: 10 });
  });
  it("round-trips", () => {
    expect(formatSmoothing({ kind: "ema", weight: 0.6000000001 })).toBe("ema:0.6");
    expect(formatSmoothing({ kind: "avg", window: 25 })).toBe("avg:25");
    expect(formatSmoothing({ kind: "none" })).toBe("");
    expect(formatSmoothing(parseSmoothing("ema:0.85"))).toBe("ema:0.85");
  });
  it("smoothValues draws no second line without smoothing", () => {
    expect(smoothValues([1, 2], { kind: "none" })).toBeNull();
    expect(smoothValues([1, 3], { kind: "avg", window: 2 })).toEqual([1, 2]);
  });
});
