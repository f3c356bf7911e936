// defineMetric argument validation, W&B merge rules and escaped dotted names (reference §3.3).
import { describe, it, expect } from "vitest";
import { UsageError } from "@stepwise/protocol";
import type { MetricRecord } from "@stepwise/protocol";
import {
  joinEscapedPath,
  mergeMetric,
  parseDefineMetric,
  splitEscapedDottedName,
} from "../src/summary/metric-definition.js";
import { SummaryEngine } from "../src/summary/summary-engine.js";

function define(name: unknown, options?: unknown): MetricRecord {
  return mergeMetric(undefined, parseDefineMetric(name, options));
}

function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as UsageError).message;
  }
  throw new Error("expected a UsageError");
}

describe("splitEscapedDottedName", () => {
  it("splits on unescaped dots", () => {
    expect(splitEscapedDottedName("loss")).toEqual(["loss"]);
    expect(splitEscapedDottedName("this.that")).toEqual(["this", "that"]);
    expect(splitEscapedDottedName("a.b.c")).toEqual(["a", "b", "c"]);
  });

  it("keeps an escaped dot and other backslashes literally (A11)", () => {
    expect(splitEscapedDottedName("test\\this\\.that")).toEqual(["test\\this.that"]);
    expect(splitEscapedDottedName("a\\.b.c")).toEqual(["a.b", "c"]);
    expect(splitEscapedDottedName("end\\")).toEqual(["end\\"]);
  });

  it("drops a trailing empty segment as W&B does", () => {
    expect(splitEscapedDottedName("a.")).toEqual(["a"]);
  });

  it("joins back with literal dots escaped", () => {
    expect(joinEscapedPath(["test\\this.that"])).toBe("test\\this\\.that");
    expect(joinEscapedPath(["train", "loss"])).toBe("train.loss");
    expect(splitEscapedDottedName(joinEscapedPath(["a.b", "c"]))).toEqual(["a.b", "c"]);
  });
});

describe("parseDefineMetric", () => {
  it("builds a plain definition", () => {
    expect(define("loss", { summary: "min" })).toEqual({
      t: "metric",
      name: "loss",
      path: ["loss"],
      glob: false,
      stepMetric: null,
      stepSync: false,
      hidden: false,
      summary: ["min"],
      goal: null,
      expandedFrom: null,
    });
  });

  it("recognises suffix globs", () => {
    const glob = define("train/*", { summary: "max" });
    expect(glob.glob).toBe(true);
    expect(glob.path).toBeNull();
  });

  it("lower-cases and trims summary items, canonical order, copy means no aggregation", () => {
    expect(define("x", { summary: " MAX , min,Mean " }).summary).toEqual(["min", "max", "mean"]);
    expect(define("x", { summary: "copy" }).summary).toEqual([]);
    expect(define("x", { summary: "last,first,none" }).summary).toEqual(["first", "last", "none"]);
  });

  it("defaults stepSync to true only when stepMetric is given (A14 family)", () => {
    expect(define("val", { stepMetric: "epoch" }).stepSync).toBe(true);
    expect(define("val", { stepMetric: "epoch", stepSync: false }).stepSync).toBe(false);
    expect(define("val", {}).stepSync).toBe(false);
  });

  it("accepts W&B goal spellings", () => {
    expect(define("x", { goal: "min" }).goal).toBe("minimize");
    expect(define("x", { goal: "MAX" }).goal).toBe("maximize");
    expect(define("x", { goal: "maximize" }).goal).toBe("maximize");
  });

  it("rejects an empty or non-string name", () => {
    expect(usageMessage(() => define(""))).toMatch(/name/);
    expect(usageMessage(() => define(42))).toMatch(/name must be a string/);
  });

  it("rejects * anywhere but at the end", () => {
    expect(usageMessage(() => define("a*b"))).toMatch(/name .*glob suffixes only/);
    expect(usageMessage(() => define("**"))).toMatch(/glob suffixes only/);
  });

  it("rejects unknown summary ops", () => {
    expect(usageMessage(() => define("x", { summary: "min,avg" }))).toMatch(/summary op "avg"/);
  });

  it("rejects unknown goals", () => {
    expect(usageMessage(() => define("x", { goal: "up" }))).toMatch(/goal "up"/);
  });

  it("rejects best without a goal and tells to pass one", () => {
    expect(usageMessage(() => define("x", { summary: "best" }))).toMatch(
      /best.*goal: "minimize" or "maximize"/,
    );
    expect(define("x", { summary: "best", goal: "minimize" }).summary).toEqual(["best"]);
  });

  it("checks option types at runtime", () => {
    expect(usageMessage(() => define("x", { stepMetric: 1 }))).toMatch(/stepMetric must be a string/);
    expect(usageMessage(() => define("x", { summary: ["min"] }))).toMatch(/summary must be a string/);
    expect(usageMessage(() => define("x", { goal: true }))).toMatch(/goal must be a string/);
    expect(usageMessage(() => define("x", { stepSync: "yes" }))).toMatch(/stepSync must be true or false/);
    expect(usageMessage(() => define("x", { hidden: 1 }))).toMatch(/hidden must be true or false/);
    expect(usageMessage(() => define("x", { overwrite: null }))).toMatch(/overwrite must be true or false/);
    expect(usageMessage(() => define("x", "min"))).toMatch(/options must be an object/);
  });

  it("rejects unknown option names, pointing snake_case at camelCase", () => {
    expect(usageMessage(() => define("x", { step_metric: "epoch" }))).toMatch(/"step_metric".*"stepMetric"/);
    expect(usageMessage(() => define("x", { sumary: "min" }))).toMatch(/unknown option "sumary"/);
  });

  it("treats undefined options and empty strings as not given", () => {
    expect(define("x", { summary: undefined, goal: "", stepMetric: "" })).toMatchObject({
      summary: [],
      goal: null,
      stepMetric: null,
      stepSync: false,
    });
  });
});

describe("mergeMetric (W&B definedMetric.With)", () => {
  const merge = (previous: MetricRecord, name: string, options: unknown): MetricRecord =>
    mergeMetric(previous, parseDefineMetric(name, options));

  it("ORs aggregations without overwrite and replaces them with overwrite (A14)", () => {
    const first = define("n", { summary: "min" });
    expect(merge(first, "n", { summary: "max", overwrite: false }).summary).toEqual(["min", "max"]);
    expect(merge(first, "n", { summary: "max", overwrite: true }).summary).toEqual(["max"]);
  });

  it("ORs stepSync and hidden; replaces stepMetric and goal only when given", () => {
    const first = define("n", { stepMetric: "epoch", hidden: true, goal: "minimize" });
    const merged = merge(first, "n", { stepSync: false, hidden: false });
    expect(merged).toMatchObject({ stepMetric: "epoch", stepSync: true, hidden: true, goal: "minimize" });
    expect(merge(first, "n", { stepMetric: "batch", goal: "max" })).toMatchObject({
      stepMetric: "batch",
      goal: "maximize",
    });
  });

  it("replaces none only when a summary is given", () => {
    const none = define("n", { summary: "none" });
    expect(merge(none, "n", { hidden: true }).summary).toEqual(["none"]);
    expect(merge(none, "n", { summary: "min" }).summary).toEqual(["min"]);
    const min = define("n", { summary: "min" });
    expect(merge(min, "n", { summary: "none" }).summary).toEqual(["min", "none"]);
  });

  it("accepts best when an earlier definition set the goal", () => {
    const first = define("n", { goal: "maximize" });
    expect(merge(first, "n", { summary: "best" })).toMatchObject({ summary: ["best"], goal: "maximize" });
  });
});

describe("SummaryEngine.defineMetric", () => {
  it("emits and returns the effective merged definition", () => {
    const emitted: MetricRecord[] = [];
    const engine = new SummaryEngine({ onMetric: (r) => emitted.push(r), onWarning: () => undefined });
    engine.defineMetric("n", { summary: "min" });
    const merged = engine.defineMetric("n", { summary: "max" });
    expect(merged.summary).toEqual(["min", "max"]);
    expect(emitted.map((r) => r.summary)).toEqual([["min"], ["min", "max"]]);
    expect(engine.definitions()).toEqual([merged]);
  });

  it("throws before emitting anything when invalid", () => {
    const emitted: MetricRecord[] = [];
    const engine = new SummaryEngine({ onMetric: (r) => emitted.push(r), onWarning: () => undefined });
    expect(() => engine.defineMetric("x", { summary: "median" })).toThrow(UsageError);
    expect(emitted).toEqual([]);
    expect(engine.definitions()).toEqual([]);
  });
});
