// Run summary engine: W&B reference §3 and Appendix A vectors A7–A15, plus Stepwise's "Beyond W&B" rules.
import { describe, it, expect } from "vitest";
import { InvalidDataError, UsageError } from "@stepwise/protocol";
import type { MetricRecord } from "@stepwise/protocol";
import { SummaryEngine } from "../src/summary/summary-engine.js";

interface Harness {
  engine: SummaryEngine;
  metrics: MetricRecord[];
  warnings: string[];
  /** Commits rows like the step committer does (adding _step/_runtime/_timestamp); returns them. */
  log: (...rows: Record<string, unknown>[]) => Record<string, unknown>[];
}

function harness(): Harness {
  const metrics: MetricRecord[] = [];
  const warnings: string[] = [];
  const engine = new SummaryEngine({ onMetric: (r) => metrics.push(r), onWarning: (w) => warnings.push(w) });
  let step = 0;
  const log = (...rows: Record<string, unknown>[]): Record<string, unknown>[] =>
    rows.map((user) => {
      const row = { ...user, _step: step, _runtime: step * 0.5, _timestamp: 1_700_000_000 + step };
      step++;
      engine.observeRow(row);
      return row;
    });
  return { engine, metrics, warnings, log };
}

/** A row without the fields the harness adds. */
function userKeys(row: Record<string, unknown>): Record<string, unknown> {
  const { _step, _runtime, _timestamp, ...rest } = row;
  return rest;
}

describe("default summary", () => {
  it("keeps the last value of every leaf, including _step/_runtime/_timestamp", () => {
    const { engine, log } = harness();
    log({ loss: 3, tag: "a" }, { loss: 1, tag: "b", flag: true });
    const internal = { _step: 1, _runtime: 0.5, _timestamp: 1_700_000_001 };
    expect(engine.toJSON()).toEqual({ loss: 1, tag: "b", flag: true, ...internal });
  });

  it("omits a key whose latest value is null", () => {
    const { engine, log } = harness();
    log({ a: 1, b: null }, { a: null });
    expect(engine.get(["a"])).toBeUndefined();
    expect(Object.keys(engine.toJSON())).toEqual(["_step", "_runtime", "_timestamp"]);
  });

  it("nests leaves, keeps arrays and _type objects as single leaves", () => {
    const { engine, log } = harness();
    const image = { _type: "image-file", path: "media/images/x.png", width: 2 };
    log({ train: { loss: 2, acc: { top1: 0.5 } }, img: image, hist: [1, 2, 3] });
    const train = { loss: 2, acc: { top1: 0.5 } };
    expect(userKeys(engine.toJSON())).toEqual({ train, img: image, hist: [1, 2, 3] });
    expect(engine.get(["train", "acc", "top1"])).toBe(0.5);
    expect(engine.get(["train"])).toEqual(train);
    expect(engine.get(["img", "path"])).toBe("media/images/x.png");
    expect(engine.get(["nope"])).toBeUndefined();
  });

  it("replaces a leaf by a subtree and a subtree by a leaf (pathtree rules)", () => {
    const { engine, log } = harness();
    log({ a: 1 }, { a: { b: 2 } });
    expect(engine.get(["a"])).toEqual({ b: 2 });
    log({ a: 5 });
    expect(engine.get(["a"])).toBe(5);
    log({ a: {} });
    expect(engine.get(["a"])).toBe(5);
  });

  it("keeps the fast lookup cache correct when rows change shape", () => {
    const { engine, log } = harness();
    log({ a: 1, b: 2 }, { b: { x: 1 } }, { a: 3, b: 5 }, { c: 1, a: 4 }, { a: 6, b: 7, c: 8 });
    expect(userKeys(engine.toJSON())).toEqual({ a: 6, b: 7, c: 8 });
    engine.remove(["b"]);
    log({ a: 9, b: { y: 2 }, c: 10 }, { a: 11, b: { y: 3 }, c: 12 });
    expect(userKeys(engine.toJSON())).toEqual({ a: 11, b: { y: 3 }, c: 12 });
  });
});

describe("aggregations (A7, A8, A15)", () => {
  const expected: Record<string, number> = { min: 1, max: 8, last: 3, mean: 4, first: 1 };
  for (const [op, value] of Object.entries(expected)) {
    it(`A7: summary=${op} over 1, 8, 3 gives ${value}`, () => {
      const { engine, log } = harness();
      engine.defineMetric("val", { summary: op });
      log({ val: 1 }, { val: 8 }, { val: 3 });
      expect(engine.get(["val"])).toEqual({ [op]: value });
      expect(engine.get(["val", op])).toBe(value);
    });
  }

  it("A8: strings are ignored by min/max/mean", () => {
    const { engine, log } = harness();
    engine.defineMetric("val", { summary: "min,max,mean,first" });
    log({ val: 1 }, { val: "oops a string" }, { val: 3 });
    expect(engine.get(["val"])).toEqual({ min: 1, max: 3, mean: 2, first: 1 });
  });

  it("omits numeric aggregations without numeric data; booleans are not numbers", () => {
    const { engine, log } = harness();
    engine.defineMetric("flag", { summary: "min,last" });
    engine.defineMetric("word", { summary: "mean" });
    log({ flag: true, word: "x" });
    expect(engine.get(["flag"])).toEqual({ last: true });
    expect(engine.toJSON()).not.toHaveProperty("word");
  });

  it("A15: NaN propagates into mean, min and max", () => {
    const { engine, log } = harness();
    engine.defineMetric("a", { summary: "mean" });
    engine.defineMetric("b", { summary: "min" });
    engine.defineMetric("c", { summary: "min,max" });
    log({ a: 2, b: NaN, c: NaN }, { a: NaN, c: 4 }, { a: 4 });
    expect(engine.get(["a", "mean"])).toBeNaN();
    expect(engine.get(["b", "min"])).toBeNaN();
    expect(engine.get(["c", "min"])).toBeNaN();
    expect(engine.get(["c", "max"])).toBeNaN();
  });

  it("applies a late definition to all data so far", () => {
    const { engine, log } = harness();
    log({ loss: 5 }, { loss: 2 }, { loss: 7 });
    engine.defineMetric("loss", { summary: "min,mean" });
    expect(engine.get(["loss"])).toEqual({ min: 2, mean: 14 / 3 });
  });

  it("A9: none hides the key; copy keeps the last value", () => {
    const { engine, log } = harness();
    engine.defineMetric("*", { summary: "copy" });
    engine.defineMetric("val", { summary: "none" });
    log({ val: 1, other: 1 }, { val: 2, other: 2 }, { val: 3, other: 3 });
    expect(engine.get(["other"])).toBe(3);
    expect(engine.toJSON()).not.toHaveProperty("val");
  });

  it("A10: a nested metric aggregates under its path", () => {
    const { engine, log } = harness();
    engine.defineMetric("this.that", { summary: "min,max" });
    log({ this: { that: 3 } }, { this: { that: 2 } }, { this: { that: 4 } });
    expect(engine.get(["this"])).toEqual({ that: { min: 2, max: 4 } });
    expect(engine.definitions()).toEqual([
      expect.objectContaining({ name: "this.that", path: ["this", "that"], summary: ["min", "max"] }),
    ]);
  });

  it("A11: an escaped dot names a top-level key that contains a dot", () => {
    const { engine, log } = harness();
    engine.defineMetric("test\\this\\.that", { summary: "min" });
    log({ "test\\this.that": 3 }, { "test\\this.that": 2 }, { "test\\this.that": 4 });
    expect(engine.toJSON()["test\\this.that"]).toEqual({ min: 2 });
  });

  it("A12: a * glob aggregates nested keys", () => {
    const { engine, metrics, log } = harness();
    engine.defineMetric("*", { summary: "min,max" });
    log({ this: { that: 3 } }, { this: { that: 2 } }, { this: { that: 4 } });
    expect(engine.get(["this"])).toEqual({ that: { min: 2, max: 4 } });
    expect(engine.get(["_step"])).toBe(2);
    const [glob, ...expanded] = metrics;
    expect(glob).toMatchObject({ name: "*", glob: true, path: null, summary: ["min", "max"] });
    // The only expansion is the user key: a copy of the glob's definition with a concrete path.
    expect(expanded).toEqual([
      { ...glob, name: "this.that", path: ["this", "that"], glob: false, expandedFrom: "*" },
    ]);
  });

  it("A14: overwrite false merges, overwrite true replaces", () => {
    const { engine, log } = harness();
    engine.defineMetric("n", { summary: "min" });
    engine.defineMetric("n", { summary: "max", overwrite: false });
    engine.defineMetric("m", { summary: "min" });
    engine.defineMetric("m", { summary: "max", overwrite: true });
    log({ n: 1, m: 1 }, { n: 5, m: 5 });
    expect(engine.get(["n"])).toEqual({ min: 1, max: 5 });
    expect(engine.get(["m"])).toEqual({ max: 5 });
  });
});

describe("best and goal (Beyond W&B)", () => {
  it("keeps the lowest value when minimizing and the highest when maximizing", () => {
    const { engine, log } = harness();
    engine.defineMetric("loss", { summary: "best", goal: "minimize" });
    engine.defineMetric("acc", { summary: "best,last", goal: "maximize" });
    log({ loss: 0.5, acc: 0.7 }, { loss: 0.2, acc: 0.9 }, { loss: 0.3, acc: 0.8 });
    expect(engine.get(["loss"])).toEqual({ best: 0.2 });
    expect(engine.get(["acc"])).toEqual({ best: 0.9, last: 0.8 });
  });

  it("throws a UsageError naming goal when best has no goal", () => {
    const { engine } = harness();
    expect(() => engine.defineMetric("loss", { summary: "best" })).toThrow(UsageError);
    expect(() => engine.defineMetric("loss", { summary: "best" })).toThrow(/goal/);
  });
});

describe("globs", () => {
  it("picks the longest matching prefix", () => {
    const { engine, log } = harness();
    engine.defineMetric("*", { summary: "max" });
    engine.defineMetric("train/loss*", { summary: "min" });
    engine.defineMetric("train/*", { summary: "mean" });
    log({ "train/loss": 2, "train/acc": 1, val: 3 }, { "train/loss": 4, "train/acc": 3, val: 1 });
    expect(engine.get(["train/loss"])).toEqual({ min: 2 });
    expect(engine.get(["train/acc"])).toEqual({ mean: 2 });
    expect(engine.get(["val"])).toEqual({ max: 3 });
  });

  it("never matches _ keys and never overrides an explicit definition", () => {
    const { engine, metrics, log } = harness();
    engine.defineMetric("loss", { summary: "min" });
    engine.defineMetric("*", { summary: "max" });
    log({ loss: 2, _hidden: 5 }, { loss: 4, _hidden: 1 });
    expect(engine.get(["loss"])).toEqual({ min: 2 });
    expect(engine.get(["_hidden"])).toBe(1);
    expect(engine.get(["_step"])).toBe(1);
    expect(metrics.filter((m) => m.expandedFrom !== null)).toEqual([]);
  });

  it("applies a glob defined later at the next observation, and expands each key once", () => {
    const { engine, metrics, log } = harness();
    log({ acc: 0.5 });
    engine.defineMetric("acc*", { summary: "max" });
    expect(engine.get(["acc"])).toBe(0.5);
    log({ acc: 0.4 });
    expect(engine.get(["acc"])).toEqual({ max: 0.5 });
    // Later glob changes do not touch the expanded key.
    engine.defineMetric("acc*", { summary: "min", overwrite: true });
    log({ acc: 0.45 });
    expect(engine.get(["acc"])).toEqual({ max: 0.5 });
    expect(metrics.filter((m) => m.expandedFrom === "acc*").map((m) => m.name)).toEqual(["acc"]);
  });

  it("matches on the dotted path with literal dots escaped", () => {
    const { engine, log } = harness();
    engine.defineMetric("train.*", { summary: "min" });
    log({ train: { loss: 1 }, "train.flat": 2 });
    expect(engine.get(["train", "loss"])).toEqual({ min: 1 });
    expect(engine.get(["train.flat"])).toBe(2);
  });
});

describe("stepMetric and stepSync (A13)", () => {
  const rows = (): Record<string, unknown>[] => [
    { val: 2, val2: 5, mystep: 1 },
    { mystep: 3 },
    { val: 8 },
    { val2: 8 },
    { val: 3, mystep: 5 },
  ];

  it("inserts the latest step value into rows that lack it", () => {
    const { engine, log } = harness();
    engine.defineMetric("val", { summary: "min", stepMetric: "mystep", stepSync: true });
    const logged = log(...rows()).map(userKeys);
    expect(logged[2]).toEqual({ val: 8, mystep: 3 });
    expect(logged[3]).toEqual({ val2: 8 });
    expect(engine.get(["val"])).toEqual({ min: 2 });
    expect(engine.get(["val2"])).toBe(8);
    expect(engine.get(["mystep"])).toBe(5);
  });

  it("leaves rows alone with stepSync false", () => {
    const { engine, log } = harness();
    engine.defineMetric("val", { summary: "min", stepMetric: "mystep", stepSync: false });
    const logged = log(...rows()).map(userKeys);
    expect(logged[2]).toEqual({ val: 8 });
    expect(engine.get(["val"])).toEqual({ min: 2 });
    expect(engine.get(["mystep"])).toBe(5);
  });

  it("starts at 0, writes nested step metrics without touching the caller's objects", () => {
    const { engine, log } = harness();
    engine.defineMetric("val", { stepMetric: "epoch.n" });
    const progress = { done: 1 };
    const [first, second] = log({ val: 1, epoch: progress }, { epoch: { n: 4 } });
    expect(userKeys(first!)).toEqual({ val: 1, epoch: { done: 1, n: 0 } });
    expect(progress).toEqual({ done: 1 });
    expect(userKeys(second!)).toEqual({ epoch: { n: 4 } });
    const [third] = log({ val: 2 });
    expect(userKeys(third!)).toEqual({ val: 2, epoch: { n: 4 } });
    expect(engine.get(["epoch"])).toEqual({ done: 1, n: 4 });
  });

  it("syncs keys expanded from a glob", () => {
    const { engine, log } = harness();
    engine.defineMetric("train/*", { stepMetric: "epoch" });
    const [row] = log({ "train/loss": 1 });
    expect(userKeys(row!)).toEqual({ "train/loss": 1, epoch: 0 });
  });
});

describe("explicit set and remove (§3.2)", () => {
  it("set resets the aggregation until defineMetric is called again; history overwrites it", () => {
    const { engine, log } = harness();
    engine.defineMetric("loss", { summary: "min" });
    log({ loss: 3 }, { loss: 1 });
    engine.set(["loss"], 0.5);
    expect(engine.get(["loss"])).toBe(0.5);
    log({ loss: 2 });
    expect(engine.get(["loss"])).toBe(2);
    engine.defineMetric("loss", { summary: "min" });
    expect(engine.get(["loss"])).toEqual({ min: 1 });
  });

  it("keeps summary none across an explicit set, as W&B's SetExplicit does", () => {
    const { engine, log } = harness();
    engine.defineMetric("val", { summary: "none" });
    log({ val: 1 });
    engine.set(["val"], 2);
    expect(engine.get(["val"])).toBeUndefined();
  });

  it("stores a plain object as one leaf, split by a later nested write", () => {
    const { engine } = harness();
    engine.set(["a"], { b: 1, c: 2 });
    expect(engine.get(["a"])).toEqual({ b: 1, c: 2 });
    expect(engine.get(["a", "c"])).toBe(2);
    engine.set(["a", "b"], 5);
    expect(engine.get(["a"])).toEqual({ b: 5 });
  });

  it("turns an explicit NaN into null (so the key is hidden) and rejects undefined", () => {
    const { engine } = harness();
    engine.set(["x"], NaN);
    expect(engine.toJSON()).toEqual({});
    expect(() => engine.set(["x"], undefined)).toThrow(InvalidDataError);
    expect(() => engine.set([], 1)).toThrow(UsageError);
  });

  it("removing a leaf clears it; removing a parent removes the subtree", () => {
    const { engine, log } = harness();
    log({ loss: 1, train: { a: 1, b: 2 } });
    engine.remove(["loss"]);
    expect(engine.get(["loss"])).toBeUndefined();
    engine.remove(["train", "a"]);
    expect(engine.get(["train"])).toEqual({ b: 2 });
    engine.remove(["train"]);
    expect(engine.get(["train"])).toBeUndefined();
    engine.remove(["missing", "deep"]);
    log({ loss: 4 });
    expect(userKeys(engine.toJSON())).toEqual({ loss: 4 });
  });
});

describe("case clashes", () => {
  it("warns once per pair of keys that differ only by case", () => {
    const { engine, warnings, log } = harness();
    log({ loss: 1, Loss: 2 }, { loss: 1, Loss: 2 }, { LOSS: 3 });
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toContain('"loss"');
    expect(warnings[0]).toContain('"Loss"');
    expect(engine.get(["loss"])).toBe(1);
    expect(engine.get(["Loss"])).toBe(2);
    log({ train: { Acc: 1 }, Train: { acc: 2 } });
    expect(warnings).toHaveLength(4);
    expect(warnings[3]).toContain('"train.Acc" and "Train.acc"');
  });
});

describe("sparklines", () => {
  it("keeps at most 96 evenly strided samples starting with the first value", () => {
    const { engine, log } = harness();
    for (let i = 0; i < 1000; i++) log({ x: i, few: i < 3 ? i * 10 : "text", nested: { y: i } });
    const lines = engine.sparklines();
    expect([...lines.keys()]).toEqual(["x", "few"]);
    const x = lines.get("x")!;
    expect(x.length).toBeLessThanOrEqual(96);
    expect(x.length).toBeGreaterThanOrEqual(48);
    expect(x[0]).toBe(0);
    const stride = x[1]! - x[0]!;
    expect(x.every((value, i) => value === i * stride)).toBe(true);
    expect(x[x.length - 1]!).toBeGreaterThan(1000 - 2 * stride);
    expect(lines.get("few")).toEqual([0, 10, 20]);
    // Every value is kept until 96 were logged.
    const full = harness();
    for (let i = 0; i < 96; i++) full.log({ x: i });
    expect(full.engine.sparklines().get("x")).toEqual(Array.from({ length: 96 }, (_, i) => i));
  });
});

describe("replay and definitions", () => {
  it("applyMetricRecord configures without emitting", () => {
    const source = harness();
    source.engine.defineMetric("loss", { summary: "min" });
    source.engine.defineMetric("acc*", { summary: "max" });
    source.log({ loss: 2, acc: 1 });
    const replay = harness();
    for (const record of source.engine.definitions()) replay.engine.applyMetricRecord(record);
    replay.log({ loss: 2, acc: 1 });
    expect(replay.metrics).toEqual([]);
    expect(replay.engine.toJSON()).toEqual(source.engine.toJSON());
    expect(replay.engine.definitions()).toEqual(source.engine.definitions());
  });
});
