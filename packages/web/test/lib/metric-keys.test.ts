import { describe, expect, it } from "vitest";
import type { MetricRecord } from "@stepwise/protocol";
import { chartKeys, chartKeysOf } from "../../src/lib/metric-keys.js";

function metric(name: string, patch: Partial<MetricRecord> = {}): MetricRecord {
  const glob = name.endsWith("*");
  return {
    t: "metric",
    name,
    path: glob ? null : name.split("."),
    glob,
    stepMetric: null,
    stepSync: false,
    hidden: false,
    summary: [],
    goal: null,
    expandedFrom: null,
    ...patch,
  };
}

function keysOf(runs: Parameters<typeof chartKeys>[0]): Record<string, string> {
  return Object.fromEntries(chartKeys(runs).map((k) => [k.key, k.defaultX]));
}

describe("chartKeys", () => {
  it("with the server's logged keys, leaves out a key only the summary holds", () => {
    const runs = [{ summary: { "train/loss": 0.1, best_epoch: 3, nested: { acc: 0.5 } }, metrics: [] }];
    expect(
      chartKeys(runs)
        .map((k) => k.key)
        .sort(),
    ).toEqual(["best_epoch", "nested.acc", "train/loss"]);
    const logged = new Set(["train/loss", "nested.acc", "_runtime"]);
    expect(
      chartKeys(runs, logged)
        .map((k) => k.key)
        .sort(),
    ).toEqual(["nested.acc", "train/loss"]);
  });

  it("charts numeric summary leaves, nested ones as dotted paths", () => {
    const summary = {
      "train/loss": 0.5,
      train: { lr: 1, opt: { beta: 0.9 } },
      name: "x",
      flag: true,
      list: [1],
    };
    expect(keysOf([{ summary, metrics: [] }])).toEqual({
      "train/loss": "_step",
      "train.lr": "_step",
      "train.opt.beta": "_step",
    });
  });
  it("leaves out `_` keys, media objects and hidden metrics", () => {
    const summary = { _runtime: 3, _step: 9, img: { _type: "image-file", width: 3 }, secret: 1, acc: 0.9 };
    const metrics = [metric("secret", { hidden: true })];
    expect(keysOf([{ summary, metrics }])).toEqual({ acc: "_step" });
  });
  it("hides keys matched by a hidden glob", () => {
    const summary = { "debug/a": 1, "debug/b": 2, loss: 1 };
    expect(keysOf([{ summary, metrics: [metric("debug/*", { hidden: true })] }])).toEqual({ loss: "_step" });
  });
  it("keeps an aggregated summary as one key, not loss.min", () => {
    const summary = { loss: { min: 0.1, max: 2 }, val: { acc: { max: 0.9 } } };
    const metrics = [metric("loss", { summary: ["min", "max"] }), metric("val.acc", { summary: ["max"] })];
    expect(keysOf([{ summary, metrics }])).toEqual({ loss: "_step", "val.acc": "_step" });
  });
  it("names a metric whose summary is none from its definition", () => {
    expect(keysOf([{ summary: {}, metrics: [metric("grad", { summary: ["none"] })] }])).toEqual({
      grad: "_step",
    });
  });
  it("defaults the x-axis to the metric's stepMetric", () => {
    const metrics = [metric("val/acc", { stepMetric: "epoch" })];
    expect(keysOf([{ summary: { "val/acc": 0.5, epoch: 3 }, metrics }])).toEqual({
      "val/acc": "epoch",
      epoch: "_step",
    });
  });
  it("merges runs: the union of keys, a stepMetric from any run", () => {
    const a = { summary: { loss: 1 }, metrics: [] };
    const b = { summary: { loss: 2, acc: 1 }, metrics: [metric("loss", { stepMetric: "epoch" })] };
    expect(keysOf([a, b])).toEqual({ loss: "epoch", acc: "_step" });
  });
  it("escapes a literal dot in a key as the server does", () => {
    expect(keysOf([{ summary: { "lr.0": 1 }, metrics: [] }])).toEqual({ "lr\\.0": "_step" });
  });
});

describe("chartKeysOf", () => {
  it("charts the listed keys but `_` keys and hidden metrics, each on its stepMetric or _step", () => {
    const runs = [
      { metrics: [metric("val/acc", { stepMetric: "epoch" }), metric("secret", { hidden: true })] },
      { metrics: [metric("debug/*", { hidden: true }), metric("val/acc", { stepMetric: "other" })] },
    ];
    const listed = ["_runtime", "debug/x", "epoch", "secret", "train/loss", "val/acc"];
    expect(chartKeysOf(runs, listed)).toEqual([
      { key: "epoch", defaultX: "_step" },
      { key: "train/loss", defaultX: "_step" },
      { key: "val/acc", defaultX: "epoch" },
    ]);
  });
});
