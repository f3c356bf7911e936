import { describe, expect, it } from "vitest";
import {
  COLLAPSE_SECTIONS,
  defaultOpenSections,
  isSectionOpen,
  OPEN_PANELS,
} from "../../src/lib/section-collapse.js";

const sections = (counts: number[]) => counts.map((count, i) => ({ name: `s${i}`, count }));

describe("defaultOpenSections", () => {
  it("opens every section of a small workspace", () => {
    expect([...defaultOpenSections(sections([3, 2, 5]))]).toEqual(["s0", "s1", "s2"]);
    const limit = sections(Array.from({ length: COLLAPSE_SECTIONS }, () => 4));
    expect(defaultOpenSections(limit).size).toBe(COLLAPSE_SECTIONS);
  });

  it("past the section threshold opens the leading sections within the panel budget", () => {
    const many = sections(Array.from({ length: COLLAPSE_SECTIONS + 1 }, () => 1));
    expect(defaultOpenSections(many).size).toBe(COLLAPSE_SECTIONS + 1); // 13 charts fit the budget
    const thousand = sections(Array.from({ length: 40 }, () => 25)); // 1,000 metrics
    expect([...defaultOpenSections(thousand)]).toEqual(["s0"]);
    const small = sections([10, 10, 10, 10, 10, 10]);
    expect([...defaultOpenSections(small)]).toEqual(["s0", "s1", "s2", "s3"]);
  });

  it("past the panel budget in few sections opens the first always, even when it alone is over", () => {
    expect([...defaultOpenSections(sections([OPEN_PANELS + 1, 2]))]).toEqual(["s0"]);
    expect([...defaultOpenSections(sections([20, OPEN_PANELS]))]).toEqual(["s0"]);
  });
});

describe("isSectionOpen", () => {
  it("follows the user's choice, else the default", () => {
    const defaults = new Set(["a"]);
    expect(isSectionOpen("a", defaults, new Map())).toBe(true);
    expect(isSectionOpen("b", defaults, new Map())).toBe(false);
    expect(isSectionOpen("a", defaults, new Map([["a", false]]))).toBe(false);
    expect(isSectionOpen("b", defaults, new Map([["b", true]]))).toBe(true);
  });
});
