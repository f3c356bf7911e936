import { describe, expect, it } from "vitest";
import type { AlignedLines } from "../../src/lib/series-alignment.js";
import type uPlot from "uplot";
import { MARKER_SIZE, plotLayout } from "../../src/lib/plot-layout.js";

const colors = new Map([
  ["a", "#ff0000"],
  ["b", "#0000ff"],
]);

function aligned(bandA: boolean, smoothed: boolean): AlignedLines {
  const y = [1, 2];
  return {
    x: [0, 1],
    lines: [
      {
        runId: "a",
        y,
        min: bandA ? [0, 1] : null,
        max: bandA ? [2, 3] : null,
        smoothed: smoothed ? y : null,
      },
      { runId: "b", y: [5, 6], min: null, max: null, smoothed: smoothed ? [5, 5.5] : null },
    ],
  };
}

describe("plotLayout", () => {
  it("draws bands first, then raw lines, then smoothed lines", () => {
    const layout = plotLayout(aligned(true, true), colors);
    expect(layout.data).toEqual([
      [0, 1],
      [2, 3],
      [0, 1],
      [1, 2],
      [5, 6],
      [1, 2],
      [5, 5.5],
    ]);
    expect(layout.bands).toEqual([{ series: [1, 2], fill: "rgba(255, 0, 0, 0.16)" }]);
    expect(layout.roles.map((r) => r && `${r.runId}${r.marked ? "*" : ""}`)).toEqual([
      null,
      "a",
      "a",
      "a",
      "b",
      "a*",
      "b*",
    ]);
    expect(layout.series[3]?.stroke).toBe("rgba(255, 0, 0, 0.25)");
    expect(layout.series[5]?.stroke).toBe("#ff0000");
  });
  it("has no band for exact runs and full-colour raw lines without smoothing", () => {
    const layout = plotLayout(aligned(false, false), colors);
    expect(layout.bands).toEqual([]);
    expect(layout.data).toHaveLength(3);
    expect(layout.series[1]?.stroke).toBe("#ff0000");
    expect(layout.roles[1]).toEqual({ runId: "a", marked: true });
  });
  it("keeps its signature while only values change", () => {
    const one = plotLayout(aligned(true, false), colors);
    const two = plotLayout({ ...aligned(true, false), x: [5, 6] }, colors);
    expect(two.signature).toBe(one.signature);
    expect(plotLayout(aligned(false, false), colors).signature).not.toBe(one.signature);
    expect(plotLayout(aligned(true, true), colors).signature).not.toBe(one.signature);
  });
  it("gives a line's only finite point a marker in the line's colour, and a joined line none", () => {
    const layout = plotLayout(
      {
        x: [0, 1, 2],
        lines: [
          { runId: "a", y: [null, 0.5, null], min: null, max: null, smoothed: null },
          { runId: "b", y: [1, null, 2], min: null, max: null, smoothed: null },
        ],
      },
      colors,
    );
    const points = (i: number) => layout.series[i]?.points;
    const marked = (i: number) => {
      const filter = points(i)?.filter;
      if (typeof filter !== "function") throw new Error(`series ${i} has no point filter`);
      return filter({ data: layout.data } as unknown as uPlot, i, false, null);
    };
    expect(marked(1)).toEqual([1]);
    expect(marked(2)).toBeNull();
    expect(points(1)).toMatchObject({ show: false, size: MARKER_SIZE, fill: "#ff0000" });
  });
});
