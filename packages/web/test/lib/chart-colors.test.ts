import { describe, expect, it } from "vitest";
import { bandAlphas, withAlpha } from "../../src/lib/chart-colors.js";

describe("withAlpha", () => {
  it("turns hex colours into rgba", () => {
    expect(withAlpha("#2f6fdf", 0.2)).toBe("rgba(47, 111, 223, 0.2)");
    expect(withAlpha("#fff", 0.5)).toBe("rgba(255, 255, 255, 0.5)");
  });
  it("leaves other colours as they are", () => {
    expect(withAlpha("hsl(10 50% 50%)", 0.2)).toBe("hsl(10 50% 50%)");
  });
});

describe("bandAlphas", () => {
  it("keeps few runs' bands at full strength and fades many", () => {
    expect(bandAlphas(1)).toEqual({ fill: 0.16, edge: 0.35 });
    expect(bandAlphas(4)).toEqual({ fill: 0.16, edge: 0.35 });
    expect(bandAlphas(16)).toEqual({ fill: 0.08, edge: 0.175 });
    expect(bandAlphas(1000)).toEqual({ fill: 0.05, edge: 0.15 });
  });
});
