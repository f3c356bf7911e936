import { describe, expect, it } from "vitest";
import type { HistogramHeatmap } from "@stepwise/protocol";
import { heatmapFrames } from "../../src/lib/heatmap-frames.js";
import { pageRecords } from "../../src/lib/table-records.js";

const base: HistogramHeatmap = {
  run: { entity: "e", project: "p", runId: "r" },
  key: "h",
  xAxis: "_step",
  exact: true,
  count: 2,
  yEdges: [0, 1, 2],
  x: [0, 5],
  xMin: [0, 5],
  xMax: [0, 5],
  stepMin: [0, 5],
  stepMax: [0, 5],
  merged: [1, 1],
  counts: [
    [1, 2],
    [3, 4],
  ],
  histograms: [
    { step: 0, x: 0, edges: [0, 0.5, 2], counts: [1, 2] },
    { step: 5, x: 5, edges: [0, 2], counts: [7] },
  ],
};

describe("heatmapFrames", () => {
  it("makes one frame per column on the common grid, keeping the logged histogram when exact", () => {
    const frames = heatmapFrames(base);
    expect(frames.map((f) => [f.x, f.step, f.counts])).toEqual([
      [0, 0, [1, 2]],
      [5, 5, [3, 4]],
    ]);
    expect(frames[1]?.logged).toEqual({ bins: [0, 2], counts: [7] });
  });
  it("keeps merged columns' step range and count, without logged histograms", () => {
    const merged = heatmapFrames({
      ...base,
      exact: false,
      stepMax: [4, 9],
      merged: [5, 5],
      histograms: undefined,
    });
    expect(merged[0]).toMatchObject({ step: 0, stepMax: 4, merged: 5 });
    expect(merged[0]?.logged).toBeUndefined();
  });
});

describe("pageRecords", () => {
  it("turns a page's rows into records by column name, tagged with the run", () => {
    const records = pageRecords(
      {
        kind: "rows",
        key: "t",
        step: 0,
        schema: [],
        totalRows: 2,
        offset: 0,
        columns: ["a", "b"],
        matchedRows: 2,
        rows: [
          { index: 0, cells: [1, "x"] },
          { index: 1, cells: [2, null] },
        ],
      },
      { id: "r1", name: "run one" },
    );
    expect(records).toEqual([
      { _run: "r1", _runName: "run one", a: 1, b: "x" },
      { _run: "r1", _runName: "run one", a: 2, b: null },
    ]);
  });
});
