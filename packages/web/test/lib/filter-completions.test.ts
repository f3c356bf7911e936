import { describe, expect, it } from "vitest";
import { branchPathHint, filterCompletions, MAX_COMPLETIONS } from "../../src/lib/filter-completions.js";

const PATHS = ["config.lr", "config.opt.name", "summary.loss", "summary.val/acc.max", "summary.val/acc.min"];

describe("filterCompletions", () => {
  it("completes the summary path a defineMetric summary really has (val/acc.max)", () => {
    expect(filterCompletions("summary.val/acc", PATHS)).toEqual([
      "summary.val/acc.max",
      "summary.val/acc.min",
    ]);
    expect(filterCompletions("summ", PATHS)).toEqual([
      "summary.loss",
      "summary.val/acc.max",
      "summary.val/acc.min",
    ]);
  });

  it("completes the key after and/or/( and keeps the text before it", () => {
    expect(filterCompletions("state = running and config.o", PATHS)).toEqual([
      "state = running and config.opt.name",
    ]);
    expect(filterCompletions("(config.l", PATHS)).toEqual(["(config.lr"]);
    expect(filterCompletions("exists summary.l", PATHS)).toEqual(["exists summary.loss"]);
  });

  it("offers nothing for a value, a finished key, other fields or an empty box", () => {
    expect(filterCompletions("summary.loss > 0.", PATHS)).toEqual([]);
    expect(filterCompletions("config.opt.name = con", PATHS)).toEqual([]);
    expect(filterCompletions("summary.loss", PATHS)).toEqual([]);
    expect(filterCompletions("state", PATHS)).toEqual([]);
    expect(filterCompletions("", PATHS)).toEqual([]);
    expect(filterCompletions("summary.loss ", PATHS)).toEqual([]);
  });

  it("offers at most MAX_COMPLETIONS", () => {
    const many = Array.from({ length: 500 }, (_, i) => `config.k${i}`);
    expect(filterCompletions("config.", many)).toHaveLength(MAX_COMPLETIONS);
  });
});

describe("branchPathHint", () => {
  it("names the paths under a key that holds an object", () => {
    expect(branchPathHint("summary.val/acc > 0.9", PATHS)).toBe(
      "summary.val/acc holds max, min: filter on summary.val/acc.max",
    );
  });
  it("says nothing for leaf or unknown paths", () => {
    expect(branchPathHint("summary.val/acc.max > 0.9 and config.lr < 1", PATHS)).toBeNull();
    expect(branchPathHint("summary.nothing > 1", PATHS)).toBeNull();
  });
});
