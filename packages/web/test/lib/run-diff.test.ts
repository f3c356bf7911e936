import { describe, expect, it } from "vitest";
import type { RunDto } from "@stepwise/protocol";
import {
  compareSections,
  diffRecords,
  diffValues,
  outlierCells,
  valuesDiffer,
  valuesEqual,
  visibleDiffRows,
} from "../../src/lib/run-diff.js";

describe("valuesEqual", () => {
  it("compares deeply, NaN equal to NaN, key order ignored", () => {
    expect(valuesEqual(Number.NaN, Number.NaN)).toBe(true);
    expect(valuesEqual([1, Number.NaN], [1, Number.NaN])).toBe(true);
    expect(valuesEqual({ a: 1, b: [2] }, { b: [2], a: 1 })).toBe(true);
    expect(valuesEqual(0, -0)).toBe(true);
    expect(valuesEqual([1, 2], [2, 1])).toBe(false);
    expect(valuesEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(valuesEqual([1], { 0: 1 })).toBe(false);
    expect(valuesEqual("1", 1)).toBe(false);
    expect(valuesEqual(null, undefined)).toBe(false);
  });
});

describe("valuesDiffer", () => {
  it("treats a missing value as different from any present one", () => {
    expect(valuesDiffer([1, undefined])).toBe(true);
    expect(valuesDiffer([undefined, null])).toBe(true);
    expect(valuesDiffer([undefined, undefined])).toBe(false);
    expect(valuesDiffer([Number.NaN, Number.NaN, Number.NaN])).toBe(false);
    expect(valuesDiffer([1, 1, 2])).toBe(true);
    expect(valuesDiffer([1])).toBe(false);
  });
});

describe("diffValues", () => {
  it("takes the union of the runs' flattened keys with each run's value", () => {
    const rows = diffValues([
      { opt: { lr: 0.1, name: "adam" }, seed: 1 },
      { opt: { lr: 0.01, name: "adam" }, layers: 4 },
    ]);
    expect(rows.map((r) => [r.key, r.values, r.differs])).toEqual([
      ["layers", [undefined, 4], true],
      ["opt.lr", [0.1, 0.01], true],
      ["opt.name", ["adam", "adam"], false],
      ["seed", [1, undefined], true],
    ]);
  });

  it("compares aggregated summaries leaf by leaf and NaN as equal", () => {
    const rows = diffValues([
      { loss: { min: 0.1, max: Number.NaN } },
      { loss: { min: 0.2, max: Number.NaN } },
    ]);
    expect(rows.map((r) => [r.key, r.differs])).toEqual([
      ["loss.max", false],
      ["loss.min", true],
    ]);
    expect(visibleDiffRows(rows, true).map((r) => r.key)).toEqual(["loss.min"]);
    expect(visibleDiffRows(rows, false)).toHaveLength(2);
  });

  it("keeps a key that is a leaf in one run and a parent in another apart", () => {
    const rows = diffValues([{ opt: "sgd" }, { opt: { lr: 1 } }]);
    expect(rows.map((r) => [r.key, r.values])).toEqual([
      ["opt", ["sgd", undefined]],
      ["opt.lr", [undefined, 1]],
    ]);
  });
});

describe("outlierCells", () => {
  it("marks the values that differ from the one most runs share", () => {
    expect(outlierCells([1, 1, 2])).toEqual([false, false, true]);
    expect(outlierCells([undefined, 1, 1])).toEqual([true, false, false]);
    expect(outlierCells([Number.NaN, Number.NaN, 0])).toEqual([false, false, true]);
  });
  it("marks every cell when no value leads, and none when all agree", () => {
    expect(outlierCells([1, 2])).toEqual([true, true]);
    expect(outlierCells([1, 1, 2, 2])).toEqual([true, true, true, true]);
    expect(outlierCells(["a", "a"])).toEqual([false, false]);
    expect(outlierCells([undefined, undefined])).toEqual([false, false]);
  });
});

describe("diffRecords", () => {
  it("keeps the records' key order", () => {
    const rows = diffRecords([
      { state: "finished", host: "a" },
      { state: "running", group: "g", host: "a" },
    ]);
    expect(rows.map((r) => [r.key, r.differs])).toEqual([
      ["state", true],
      ["host", false],
      ["group", true],
    ]);
  });
});

describe("compareSections", () => {
  const run = (id: string, lr: number, loss: number, host: string) =>
    ({
      id,
      state: "finished",
      group: "",
      jobType: "",
      tags: [],
      host,
      program: "train.py",
      args: [],
      gitCommit: null,
      createdAt: 0,
      heartbeatAt: 10,
      finishedAt: 10,
      exitCode: 0,
      config: { opt: { lr, name: "adam" } },
      summary: { loss: { min: loss } },
    }) as unknown as RunDto;
  const runs = [run("a", 0.1, 0.5, "gpu1"), run("b", 0.01, 0.5, "gpu2")];

  it("lists metadata, config and summary with only the differing rows by default", () => {
    const sections = compareSections(runs, { onlyDifferences: true, keyFilter: "" });
    expect(sections.map((s) => [s.id, s.rows.map((r) => r.key), s.differing, s.total])).toEqual([
      ["meta", ["host"], 1, 6],
      ["config", ["opt.lr"], 1, 2],
      ["summary", [], 0, 1],
    ]);
  });

  it("shows every row when asked, filtered by key", () => {
    const sections = compareSections(runs, { onlyDifferences: false, keyFilter: "OPT." });
    expect(sections.map((s) => s.rows.map((r) => r.key))).toEqual([[], ["opt.lr", "opt.name"], []]);
  });
});
