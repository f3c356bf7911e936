import { describe, expect, it } from "vitest";
import {
  chartXAxis,
  formatPrecise,
  formatTicks,
  formatValue,
  formatX,
  seriesWindow,
  xAxisLabel,
} from "../../src/lib/chart-axes.js";

describe("chartXAxis", () => {
  const view = { xAxis: "", panelX: { "val/acc": "_runtime" } };
  it("prefers the chart's override, then the workspace, then the metric default", () => {
    expect(chartXAxis("val/acc", "epoch", view)).toBe("_runtime");
    expect(chartXAxis("loss", "epoch", view)).toBe("epoch");
    expect(chartXAxis("loss", "epoch", { ...view, xAxis: "_timestamp" })).toBe("_timestamp");
  });
  it("labels the built-in axes", () => {
    expect(xAxisLabel("_step")).toBe("Step");
    expect(xAxisLabel("_runtime")).toBe("Relative time");
    expect(xAxisLabel("_timestamp")).toBe("Wall time");
    expect(xAxisLabel("epoch")).toBe("epoch");
  });
});

describe("seriesWindow", () => {
  it("asks for about one bucket per pixel", () => {
    expect(seriesWindow(null, 640)).toEqual({ buckets: 700 });
    expect(seriesWindow(null, 10)).toEqual({ buckets: 200 });
    expect(seriesWindow(null, 99_999)).toEqual({ buckets: 4000 });
  });
  it("turns a zoom into a padded x range", () => {
    expect(seriesWindow([1000, 2000], 500)).toEqual({ xMin: 996, xMax: 2004, buckets: 500 });
    expect(seriesWindow([2000, 1000], 500)).toEqual({ xMin: 996, xMax: 2004, buckets: 500 });
  });
});

describe("formatValue", () => {
  it("is compact", () => {
    expect(formatValue(0)).toBe("0");
    expect(formatValue(0.000123)).toBe("1.23e-4");
    expect(formatValue(0.0123)).toBe("0.0123");
    expect(formatValue(123.456)).toBe("123.5");
    expect(formatValue(12345)).toBe("12.35k");
    expect(formatValue(12345, 3)).toBe("12.3k");
    expect(formatValue(-1500)).toBe("-1.5k");
    expect(formatValue(999_999)).toBe("1M");
    expect(formatValue(2.5e9)).toBe("2.5B");
    expect(formatValue(1e20)).toBe("1e20");
  });
  it("adds digits to ticks only where labels would repeat", () => {
    expect(formatTicks([0, 0.2, 0.4])).toEqual(["0", "0.2", "0.4"]);
    expect(formatTicks([10_000, 10_001, 10_002])).toEqual(["10k", "10.001k", "10.002k"]);
  });
});

describe("formatPrecise / formatX", () => {
  it("shows six significant digits", () => {
    expect(formatPrecise(1 / 3)).toBe("0.333333");
    expect(formatPrecise(0.5)).toBe("0.5");
    expect(formatPrecise(1234567)).toBe("1234570");
    expect(formatPrecise(1.5e-7)).toBe("1.5e-7");
    expect(formatPrecise(null)).toBe("–");
  });
  it("prints x in the axis's terms", () => {
    expect(formatX("_step", 1200)).toBe("1200");
    expect(formatX("_runtime", 185)).toBe("3m 05s");
    expect(formatX("epoch", 2.5)).toBe("2.5");
  });
});

describe("formatTicks on a log axis", () => {
  it("leaves unlabelled minor ticks empty", () => {
    expect(formatTicks([1, null, null, 10])).toEqual(["1", "", "", "10"]);
  });
});
