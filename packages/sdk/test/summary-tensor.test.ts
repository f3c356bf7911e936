/**
 * Arrays in the summary: more than 32 numbers become a NumPy file and statistics (numpy's var,
 * std, percentile with linear interpolation), 32 or fewer stay a list; the .npy bytes are what
 * np.load reads (magic, header dict, 64-byte aligned data).
 */
import { describe, expect, it } from "vitest";
import { TO_LOGGED, type FileFields } from "../src/media/logged-value.js";
import { summaryTensorOf } from "../src/data-types/summary-tensor.js";
import { percentile, tensorStats } from "../src/data-types/tensor-stats.js";

function logged(value: unknown): {
  fields: Record<string, unknown>;
  bytes: Uint8Array;
  dir: string;
  ext: string;
} {
  const tensor = summaryTensorOf(value);
  if (tensor === null) throw new Error("not a tensor");
  const out = tensor[TO_LOGGED]({ context: "summary", path: ["w"], key: 'key "w"' });
  const json = out.json as FileFields;
  const file = out.files[0];
  if (file?.content.kind !== "bytes") throw new Error("no bytes");
  return { fields: json.fields, bytes: file.content.bytes, dir: file.dir, ext: file.ext };
}

function npyHeader(bytes: Uint8Array): { header: string; dataStart: number } {
  const length = (bytes[8] as number) | ((bytes[9] as number) << 8);
  return { header: new TextDecoder().decode(bytes.subarray(10, 10 + length)), dataStart: 10 + length };
}

describe("summary arrays", () => {
  it("numpy's statistics: 1…100 → mean 50.5, var 833.25, percentiles by linear interpolation", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    const { stats, nonFinite } = tensorStats(values);
    expect(nonFinite).toBe(0);
    expect(stats).toMatchObject({ min: 1, max: 100, mean: 50.5, var: 833.25 });
    expect(stats?.std).toBeCloseTo(28.86607004772212, 12);
    // np.percentile(np.arange(1, 101), [5, 10, 25, 50, 75, 90, 95])
    const expected = {
      "5%": 5.95,
      "10%": 10.9,
      "25%": 25.75,
      "50%": 50.5,
      "75%": 75.25,
      "90%": 90.1,
      "95%": 95.05,
    };
    expect(Object.keys(stats?.percentiles ?? {})).toEqual(Object.keys(expected));
    for (const [name, value] of Object.entries(expected))
      expect(stats?.percentiles[name]).toBeCloseTo(value, 12);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
  });

  it("a Float32Array of 1,000 values: a float32 .npy file and its statistics under _type tensor", () => {
    const data = Float32Array.from({ length: 1000 }, (_, i) => i / 4);
    data[3] = NaN;
    const { fields, bytes, dir, ext } = logged(data);
    expect([dir, ext]).toEqual(["media/tensors", ".npy"]);
    expect(fields).toMatchObject({
      _type: "tensor",
      dtype: "float32",
      shape: [1000],
      count: 1000,
      min: 0,
      max: 249.75,
      nonFinite: 1,
    });
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    const { header, dataStart } = npyHeader(bytes);
    expect(header).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(1000,\), \} *\n$/);
    expect(dataStart % 64).toBe(0);
    const stored = new Float32Array(bytes.slice(dataStart).buffer);
    expect(Array.from(stored.subarray(0, 3))).toEqual([0, 0.25, 0.5]);
    expect(stored[3]).toBeNaN();
    data[0] = 99; // the file was copied at the call
    expect(new Float32Array(bytes.slice(dataStart).buffer)[0]).toBe(0);
  });

  it("a rectangular nested number array is float64 with its shape; ragged or short arrays and strings stay JSON", () => {
    const matrix = Array.from({ length: 5 }, (_, i) => Array.from({ length: 10 }, (_, j) => i * 10 + j));
    const { fields, bytes } = logged(matrix);
    expect(fields).toMatchObject({
      dtype: "float64",
      shape: [5, 10],
      count: 50,
      min: 0,
      max: 49,
      "50%": 24.5,
    });
    expect(npyHeader(bytes).header).toContain("'shape': (5, 10)");
    expect(summaryTensorOf(Array.from({ length: 32 }, (_, i) => i))).toBeNull();
    expect(summaryTensorOf(new Float64Array(32))).toBeNull();
    expect(summaryTensorOf([...matrix.slice(0, 4), [1, 2]])).toBeNull();
    expect(summaryTensorOf(Array.from({ length: 40 }, () => "x"))).toBeNull();
    expect(logged(new BigInt64Array(40)).fields).toMatchObject({ dtype: "int64", count: 40, max: 0 });
    expect(logged({ shape: [2, 20], dataSync: () => new Int32Array(40).fill(7) }).fields).toMatchObject({
      dtype: "int32",
      shape: [2, 20],
      mean: 7,
      var: 0,
    });
  });
});
