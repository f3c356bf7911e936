import { describe, expect, it } from "vitest";
import type { MetricRecord, RunRef } from "@stepwise/protocol";
import { blankRun } from "../src/domain/blank-run.js";
import { deepMerge } from "../src/domain/deep-merge.js";
import { upsertMetricDefinition } from "../src/domain/metric-definitions.js";
import { applyMetaRecord, applyRunPatch, applyRunUpsert } from "../src/domain/run-metadata.js";
import { applySummaryOps } from "../src/domain/summary-ops.js";

const ref: RunRef = { entity: "e", project: "p", runId: "r" };
const metric = (name: string, goal: "minimize" | "maximize" | null): MetricRecord => ({
  t: "metric",
  name,
  path: [name],
  glob: false,
  stepMetric: null,
  stepSync: false,
  hidden: false,
  summary: ["min"],
  goal,
  expandedFrom: null,
});

describe("run metadata", () => {
  it("deep-merges plain objects and replaces arrays and scalars", () => {
    const base = { a: { b: 1, c: [1, 2] }, d: 1 };
    expect(deepMerge(base, { a: { c: [3], e: { f: 1 } }, d: { x: 1 } })).toEqual({
      a: { b: 1, c: [3], e: { f: 1 } },
      d: { x: 1 },
    });
    expect(base).toEqual({ a: { b: 1, c: [1, 2] }, d: 1 });
    const hostile = deepMerge({}, JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>);
    expect(Object.keys(hostile)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(hostile)).toBe(Object.prototype);
  });

  it("applies summary set and remove at key paths without touching the input", () => {
    const summary = { a: { b: 1 }, c: 2 };
    const out = applySummaryOps(summary, [
      { op: "set", path: ["a", "d"], value: 3 },
      { op: "set", path: ["x", "y"], value: [1] },
      { op: "remove", path: ["c"] },
      { op: "remove", path: ["nope", "deeper"] },
    ]);
    expect(out).toEqual({ a: { b: 1, d: 3 }, x: { y: [1] } });
    expect(summary).toEqual({ a: { b: 1 }, c: 2 });
  });

  it("keeps the latest metric definition per name, in first-definition order", () => {
    let metrics = upsertMetricDefinition([], metric("a", null));
    metrics = upsertMetricDefinition(metrics, metric("b", null));
    metrics = upsertMetricDefinition(metrics, metric("a", "maximize"));
    expect(metrics.map((m) => [m.name, m.goal])).toEqual([
      ["a", "maximize"],
      ["b", null],
    ]);
  });

  it("applies upserts, meta records and patches field by field", () => {
    let run = applyRunUpsert(blankRun(ref, 1), {
      name: "n",
      tags: ["t"],
      config: { a: { b: 1 } },
      startingStep: 4,
    });
    expect(run).toMatchObject({
      name: "n",
      tags: ["t"],
      config: { a: { b: 1 } },
      startingStep: 4,
      notes: "",
    });
    run = applyMetaRecord(run, { t: "config", update: { a: { c: 2 } } });
    run = applyMetaRecord(run, { t: "run-update", notes: "hi" });
    run = applyMetaRecord(run, { t: "summary", ops: [{ op: "set", path: ["s"], value: 1 }] });
    run = applyMetaRecord(run, metric("loss", "minimize"));
    expect(run).toMatchObject({ config: { a: { b: 1, c: 2 } }, notes: "hi", summary: { s: 1 } });
    expect(run.metrics).toHaveLength(1);
    run = applyRunPatch(run, { state: "finished", summary: { t: 2 }, stopRequested: true });
    expect(run).toMatchObject({ state: "finished", summary: { s: 1, t: 2 }, stopRequested: true, name: "n" });
  });
});
