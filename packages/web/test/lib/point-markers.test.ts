import { describe, expect, it } from "vitest";
import { isolatedPoints, nonFiniteNotice, NON_FINITE_NOTICE } from "../../src/lib/point-markers.js";

describe("isolatedPoints", () => {
  it("marks the one finite value of a series a spanning line cannot draw", () => {
    expect(isolatedPoints([0.5], true)).toEqual([0]);
    // NaN and ±Infinity arrive as null; runs aligned on other runs' x add nulls too.
    expect(isolatedPoints([null, null, 3, null], true)).toEqual([2]);
    expect(isolatedPoints([null, Number.NaN, 3, Number.POSITIVE_INFINITY], true)).toEqual([2]);
  });

  it("marks nothing when two finite values make a line, or when there is none", () => {
    expect(isolatedPoints([1, null, null, 2], true)).toBeNull();
    expect(isolatedPoints([1, 2], true)).toBeNull();
    expect(isolatedPoints([null, null], true)).toBeNull();
    expect(isolatedPoints([], true)).toBeNull();
  });

  it("without spanGaps, marks every finite value between gaps or ends", () => {
    expect(isolatedPoints([1, null, 2, 3, null, 4], false)).toEqual([0, 5]);
    expect(isolatedPoints([null, 7, null], false)).toEqual([1]);
    expect(isolatedPoints([1, 2, 3], false)).toBeNull();
  });
});

describe("nonFiniteNotice", () => {
  it("says so when the chart's series have points and none is finite", () => {
    expect(
      nonFiniteNotice([
        { x: [0, 1], y: [null, null] },
        { x: [0], y: [null] },
      ]),
    ).toBe(NON_FINITE_NOTICE);
    expect(NON_FINITE_NOTICE).toBe("only NaN/Inf values");
  });

  it("says nothing when one run has a finite value or there are no points", () => {
    expect(
      nonFiniteNotice([
        { x: [0, 1], y: [null, null] },
        { x: [0], y: [2] },
      ]),
    ).toBeNull();
    expect(nonFiniteNotice([])).toBeNull();
    expect(nonFiniteNotice([{ x: [], y: [] }])).toBeNull();
  });
});
