import { describe, expect, it } from "vitest";
import type { RunLine } from "../../src/lib/series-alignment.js";
import { tooltipRows } from "../../src/lib/tooltip-rows.js";

function line(
  runId: string,
  x: number[],
  y: (number | null)[],
  smoothed: (number | null)[] | null = null,
): RunLine {
  return { runId, x, y, min: y, max: y, smoothed, exact: true };
}

describe("tooltipRows", () => {
  const a = line("a", [0, 10, 20], [1, 2, 3]);
  const b = line("b", [0, 5], [9, 8], [9, 8.5]);
  it("lists every run's nearest point, highest value first", () => {
    expect(tooltipRows([a, b], 4)).toEqual([
      { runId: "b", x: 5, value: 8, smoothed: 8.5 },
      { runId: "a", x: 0, value: 1, smoothed: null },
    ]);
  });
  it("leaves out runs whose line does not reach the cursor", () => {
    expect(tooltipRows([a, b], 15).map((r) => r.runId)).toEqual(["a"]);
    expect(tooltipRows([line("c", [], [])], 0)).toEqual([]);
  });
  it("puts missing values last", () => {
    const gap = line("g", [0, 10], [null, null]);
    expect(tooltipRows([gap, a], 10).map((r) => r.runId)).toEqual(["a", "g"]);
  });
});
