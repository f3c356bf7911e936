import { describe, expect, it } from "vitest";
import { hashString, RUN_PALETTE, runColor } from "../../src/lib/run-colors.js";

const byId = (id: string): string => runColor({ id, ordinal: 0 });

describe("runColor", () => {
  it("gives consecutive runs of a project consecutive palette colours, 20 before any repeats", () => {
    const colors = Array.from({ length: 20 }, (_, i) => runColor({ id: `x${i}`, ordinal: i + 1 }));
    expect(colors).toEqual(RUN_PALETTE);
    expect(runColor({ id: "later", ordinal: 21 })).toBe(RUN_PALETTE[0]);
  });

  it("without an ordinal, is stable per run id, whatever else was coloured before", () => {
    const first = byId("3kf8a1zq");
    for (let i = 0; i < 50; i++) byId(`other-${i}`);
    expect(byId("3kf8a1zq")).toBe(first);
    expect(byId("3kf8a1zq")).toBe(RUN_PALETTE[hashString("3kf8a1zq") % RUN_PALETTE.length]);
  });
  it("always answers a palette colour", () => {
    for (const id of ["", "a", "run-1", "日本語", "x".repeat(200)]) expect(RUN_PALETTE).toContain(byId(id));
  });
  it("spreads sequential ids over the whole palette", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      const color = byId(`run-${i}`);
      counts.set(color, (counts.get(color) ?? 0) + 1);
    }
    expect(counts.size).toBe(RUN_PALETTE.length);
    // 100 expected per colour; a fair hash stays well inside 50..150.
    for (const count of counts.values()) expect(count).toBeGreaterThan(50);
    for (const count of counts.values()) expect(count).toBeLessThan(150);
  });
  it("gives ids that differ in one character different colours most of the time", () => {
    let same = 0;
    for (let i = 0; i < 200; i++) if (byId(`run-${i}`) === byId(`run-${i + 1}`)) same++;
    expect(same).toBeLessThan(30);
  });
});

describe("RUN_PALETTE", () => {
  it("has about 20 distinct colours", () => {
    expect(RUN_PALETTE.length).toBe(20);
    expect(new Set(RUN_PALETTE).size).toBe(20);
  });
  it("has only colours dark enough to read on white", () => {
    for (const hex of RUN_PALETTE) {
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [
        number,
        number,
        number,
      ];
      const lin = (c: number): number => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
      const luminance = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
      const contrast = 1.05 / (luminance + 0.05);
      expect(contrast, hex).toBeGreaterThan(2.5);
    }
  });
  it("puts different hues next to each other", () => {
    for (let i = 1; i < RUN_PALETTE.length; i++) expect(RUN_PALETTE[i]).not.toBe(RUN_PALETTE[i - 1]);
  });
});
