import { describe, expect, it } from "vitest";
import { decodeSeriesF64, encodeSeriesF64, type SeriesResultDto } from "../src/index.js";

const run = { entity: "e", project: "p", runId: "r1" };
const series: SeriesResultDto[] = [
  {
    run,
    key: "train/loss",
    exact: false,
    count: 1_000_000,
    x: [0, 500.5, 1000],
    min: [0.1, null, -Number.MAX_VALUE],
    max: [0.9, null, 3],
    mean: [0.5, null, 1e-300],
    last: [0.4, null, 2],
    n: [500, 0, 500],
  },
  {
    run: { ...run, runId: "ü/2" },
    key: "é",
    exact: true,
    count: 0,
    x: [],
    min: [],
    max: [],
    mean: [],
    last: [],
    n: [],
  },
  { run, key: "k", exact: true, count: 1, x: [7], min: [1], max: [1], mean: [1], last: [1], n: [1] },
];

describe("series as float64 columns", () => {
  it("decode to exactly the series that were encoded, nulls included", () => {
    const bytes = encodeSeriesF64(series);
    const copy = bytes.slice().buffer; // as the browser receives it: a fresh ArrayBuffer
    expect(decodeSeriesF64(copy)).toEqual(series);
  });

  it("refuse a body cut short", () => {
    const bytes = encodeSeriesF64(series);
    expect(() => decodeSeriesF64(bytes.slice(0, 2).buffer)).toThrow(/shorter than its header/);
    expect(() => decodeSeriesF64(bytes.slice(0, 10).buffer)).toThrow(/header runs past the end/);
    expect(() => decodeSeriesF64(bytes.slice(0, bytes.length - 8).buffer)).toThrow(
      /columns run past the end/,
    );
  });
});
