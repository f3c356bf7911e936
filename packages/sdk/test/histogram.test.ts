/**
 * Histogram: numpy's `np.histogram(values, bins=n)` (edges from linspace, last bin closed, a
 * single value widened by ±0.5, empty input over [0, 1]), fromCounts with uneven edges, the
 * NaN/Infinity policy (left out and counted) and W&B's history JSON.
 */
import { describe, expect, it } from "vitest";
import { Histogram, InvalidDataError } from "../src/index.js";

/** The oracle: a value's bin found by scanning the edges (numpy's documented semantics). */
function countByScan(values: number[], edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length - 1).fill(0);
  for (const x of values) {
    for (let i = 0; i < counts.length; i++) {
      const last = i === counts.length - 1;
      if (x >= (edges[i] as number) && (x < (edges[i + 1] as number) || (last && x === edges[i + 1]))) {
        counts[i] = (counts[i] as number) + 1;
        break;
      }
    }
  }
  return counts;
}

describe("Histogram from values (np.histogram semantics)", () => {
  it("np.histogram(np.arange(10), bins=3) → counts [3, 3, 4], edges [0, 3, 6, 9]: the last bin is closed", () => {
    const h = new Histogram([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], { numBins: 3 });
    expect(h.counts).toEqual([3, 3, 4]);
    expect(h.binEdges).toEqual([0, 3, 6, 9]);
  });

  it("64 bins by default; edges are linspace(min, max, 65) with the last edge exactly max", () => {
    const h = new Histogram([0.25, 1.75, 3]);
    expect(h.counts).toHaveLength(64);
    expect(h.binEdges).toHaveLength(65);
    expect(h.binEdges[0]).toBe(0.25);
    expect(h.binEdges[64]).toBe(3);
    const step = (3 - 0.25) / 64;
    expect(h.binEdges[17]).toBe(17 * step + 0.25);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(3);
  });

  it("a value that rounds onto the wrong side of an edge goes where the edges say (0.3 < 3·0.1 → bin 2)", () => {
    // (0.3 − 0) / 1 · 10 = 3 exactly, but edge 3 is 0.30000000000000004: numpy corrects to bin 2.
    const h = new Histogram([0, 0.3, 1], { numBins: 10 });
    expect(h.binEdges[3]).toBe(0.30000000000000004);
    expect(h.counts).toEqual([1, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
  });

  it("one distinct value: range [v − 0.5, v + 0.5] (np.histogram([0, 0, 0]) → 3 in bin 5 of 10)", () => {
    const h = new Histogram([0, 0, 0], { numBins: 10 });
    expect(h.binEdges[0]).toBe(-0.5);
    expect(h.binEdges[10]).toBe(0.5);
    expect(h.counts).toEqual([0, 0, 0, 0, 0, 3, 0, 0, 0, 0]);
  });

  it("no values: zero counts over [0, 1]", () => {
    const h = new Histogram([], { numBins: 4 });
    expect(h.counts).toEqual([0, 0, 0, 0]);
    expect(h.binEdges).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  it("counts agree with the edges for 20,000 random values (a third on tenths) in 7, 64, 74 and 512 bins (scan oracle)", () => {
    let seed = 12345;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    const values = Array.from({ length: 20_000 }, (_, i) =>
      i % 3 === 0 ? Math.round(random() * 37) / 10 : random() * 3.7,
    );
    values.push(-3.7, 3.7); // range [-3.7, 3.7]: with 74 bins the tenths fall on (or beside) edges
    for (const numBins of [7, 64, 74, 512]) {
      const h = new Histogram(values, { numBins });
      expect(h.counts).toEqual(countByScan(values, h.binEdges));
    }
  });

  it("takes typed arrays, nested arrays, bigint arrays and tensor-likes the same as plain numbers", () => {
    const plain = new Histogram([1, 2, 2, 3, 5], { numBins: 4 });
    for (const input of [
      Float64Array.from([1, 2, 2, 3, 5]),
      Int32Array.from([1, 2, 2, 3, 5]),
      BigInt64Array.from([1n, 2n, 2n, 3n, 5n]),
      [[1, 2], [2, 3], [5]],
      { data: Float32Array.from([1, 2, 2, 3, 5]), shape: [5] },
      { shape: [5], dataSync: () => Float32Array.from([1, 2, 2, 3, 5]) },
    ])
      expect(new Histogram(input, { numBins: 4 }).toJSON()).toEqual(plain.toJSON());
  });

  it("NaN and ±Infinity are left out of the bins and counted in `dropped` (and in the JSON)", () => {
    const h = new Histogram([1, NaN, 2, Infinity, -Infinity, NaN, 3], { numBins: 2 });
    expect(h.counts).toEqual([1, 2]);
    expect(h.binEdges).toEqual([1, 2, 3]);
    expect(h.dropped).toEqual({ nan: 2, posInf: 1, negInf: 1 });
    expect(h.toJSON()).toEqual({
      _type: "histogram",
      values: [1, 2],
      bins: [1, 2, 3],
      dropped: { nan: 2, posInf: 1, negInf: 1 },
    });
    const allNaN = new Histogram([NaN, NaN], { numBins: 2 });
    expect(allNaN.toJSON()).toEqual({
      _type: "histogram",
      values: [0, 0],
      bins: [0, 0.5, 1],
      dropped: { nan: 2, posInf: 0, negInf: 0 },
    });
  });

  it("W&B's history JSON: exactly _type, values (counts) and bins (edges) when every value is finite", () => {
    expect(JSON.parse(JSON.stringify(new Histogram([0, 1, 1, 2], { numBins: 2 })))).toEqual({
      _type: "histogram",
      values: [1, 3],
      bins: [0, 1, 2],
    });
  });

  it("numBins outside 1–512 or not an integer, and non-numbers, are InvalidDataError naming the fix", () => {
    expect(() => new Histogram([1], { numBins: 513 })).toThrow(
      /numBins must be an integer from 1 to 512, got 513/,
    );
    expect(() => new Histogram([1], { numBins: 0 })).toThrow(InvalidDataError);
    expect(() => new Histogram([1], { numBins: 2.5 })).toThrow(InvalidDataError);
    expect(() => new Histogram([1, "2"])).toThrow(/values\[1\] is the string "2"; give numbers only/);
    expect(() => new Histogram("1,2" as unknown as number[])).toThrow(InvalidDataError);
    expect(() => new Histogram([-Number.MAX_VALUE, Number.MAX_VALUE])).toThrow(
      /span more than the largest float/,
    );
  });
});

describe("Histogram.fromCounts", () => {
  it("keeps uneven edges and the counts as given", () => {
    const h = Histogram.fromCounts([5, 0, 2.5], [0, 0.1, 1, 10]);
    expect(h.toJSON()).toEqual({ _type: "histogram", values: [5, 0, 2.5], bins: [0, 0.1, 1, 10] });
    expect(Histogram.fromCounts(Float32Array.from([1, 2]), [0, 1, 3]).binEdges).toEqual([0, 1, 3]);
  });

  it("refuses more than 512 bins, edges not one more than counts, edges not increasing, negative or non-finite counts", () => {
    const many = new Array<number>(513).fill(1);
    expect(() => Histogram.fromCounts(many, [...many.keys(), 513])).toThrow(/1 to 512 bins, got 513/);
    expect(() => Histogram.fromCounts([1, 2], [0, 1])).toThrow(
      /binEdges must have counts.length \+ 1 = 3 edges, got 2/,
    );
    expect(() => Histogram.fromCounts([1, 2], [0, 1, 1])).toThrow(
      /binEdges\[2\] \(1\) is not greater than binEdges\[1\]/,
    );
    expect(() => Histogram.fromCounts([1, -2], [0, 1, 2])).toThrow(/counts\[1\] is -2/);
    expect(() => Histogram.fromCounts([1, NaN], [0, 1, 2])).toThrow(InvalidDataError);
    expect(() => Histogram.fromCounts([1], [0, Infinity])).toThrow(/binEdges\[1\] is Infinity/);
    expect(() => Histogram.fromCounts([], [0])).toThrow(InvalidDataError);
  });
});
