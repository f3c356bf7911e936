import { describe, expect, it } from "vitest";
import { formatCellValue, formatNumber } from "../../src/lib/cell-format.js";

describe("formatNumber", () => {
  it("keeps 4 significant digits and drops trailing zeros", () => {
    expect(formatNumber(0.912345)).toBe("0.9123");
    expect(formatNumber(0.5)).toBe("0.5");
    expect(formatNumber(12.5)).toBe("12.5");
    expect(formatNumber(1234.5678)).toBe("1235");
    expect(formatNumber(42)).toBe("42");
    expect(formatNumber(0)).toBe("0");
    expect(formatNumber(-3)).toBe("-3");
  });
  it("switches to exponents for very large or small magnitudes", () => {
    expect(formatNumber(0.00012346)).toBe("1.235e-4");
    expect(formatNumber(1e-8)).toBe("1e-8");
    expect(formatNumber(1234567)).toBe("1.235e+6");
    expect(formatNumber(-2.5e9)).toBe("-2.5e+9");
  });
  it("names non-finite values", () => {
    expect(formatNumber(Number.NaN)).toBe("NaN");
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBe("inf");
    expect(formatNumber(Number.NEGATIVE_INFINITY)).toBe("-inf");
  });
});

describe("formatCellValue", () => {
  it("shows each kind of value compactly", () => {
    expect(formatCellValue(undefined)).toBe("");
    expect(formatCellValue(null)).toBe("null");
    expect(formatCellValue(true)).toBe("true");
    expect(formatCellValue("adam")).toBe("adam");
    expect(formatCellValue([1, 2])).toBe("[1,2]");
    expect(formatCellValue({ a: 1 })).toBe("a 1");
    expect(formatCellValue({ _type: "histogram", bins: [] })).toBe("[histogram]");
  });
  it("cuts long text to 80 characters", () => {
    const text = formatCellValue("x".repeat(200));
    expect(text).toHaveLength(80);
    expect(text.endsWith("…")).toBe(true);
  });
});

describe("nested values (a summary with aggregations)", () => {
  it("shows the members' values, not raw JSON", () => {
    expect(formatCellValue({ max: 0.97123, min: Number.NaN })).toBe("max 0.9712 · min NaN");
    expect(formatCellValue({ last: 1, best: { step: 3, value: 0.5 } })).toBe(
      "last 1 · best {step 3 · value 0.5}",
    );
    expect(formatCellValue({})).toBe("");
  });
});
