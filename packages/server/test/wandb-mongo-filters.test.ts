/** W&B's Mongo-style run filters and orders as Stepwise run-list filters (wandb/mongo-filters.ts). */
import { describe, expect, test } from "vitest";
import { FilterError, runFiltersOf, runOrderOf } from "../src/wandb/mongo-filters.js";

describe("runFiltersOf", () => {
  test("no filters lists every run", () => {
    expect(runFiltersOf(null)).toEqual([]);
    expect(runFiltersOf({})).toEqual([]);
  });

  test("config paths drop W&B's .value wrapper; summary_metrics reads the summary", () => {
    expect(runFiltersOf({ "config.lr": 0.1, "config.opt.name.value": "adam" })).toEqual([
      { field: "config", path: "lr", op: "eq", value: 0.1 },
      { field: "config", path: "opt.name", op: "eq", value: "adam" },
    ]);
    expect(runFiltersOf({ "summary_metrics.loss": { $lt: 0.5, $gte: 0.1 } })).toEqual([
      { field: "summary", path: "loss", op: "lt", value: 0.5 },
      { field: "summary", path: "loss", op: "gte", value: 0.1 },
    ]);
    expect(runFiltersOf({ "summary.acc": { $exists: true } })).toEqual([
      { field: "summary", path: "acc", op: "exists" },
    ]);
  });

  test("state, tags, names and $and", () => {
    expect(
      runFiltersOf({
        $and: [{ state: "finished" }, { tags: "a" }, { display_name: { $in: ["x", "y"] } }, { name: "abc" }],
      }),
    ).toEqual([
      { field: "state", op: "eq", value: "finished" },
      { field: "tags", op: "contains", value: "a" },
      { field: "name", op: "in", value: ["x", "y"] },
      { field: "id", op: "eq", value: "abc" },
    ]);
    expect(runFiltersOf({ tags: { $in: ["b"] } })).toEqual([{ field: "tags", op: "contains", value: "b" }]);
  });

  test("$or of equalities on one field becomes $in", () => {
    expect(runFiltersOf({ $or: [{ state: "crashed" }, { state: "failed" }] })).toEqual([
      { field: "state", op: "in", value: ["crashed", "failed"] },
    ]);
    expect(runFiltersOf({ $or: [{ "config.lr": 0.1 }, { "config.lr": 0.2 }] })).toEqual([
      { field: "config", path: "lr", op: "in", value: [0.1, 0.2] },
    ]);
  });

  test("what the run list cannot express is refused, never widened", () => {
    expect(() => runFiltersOf({ $or: [{ state: "crashed" }, { tags: "a" }] })).toThrow(FilterError);
    expect(() => runFiltersOf({ display_name: { $regex: "^a" } })).toThrow(/\$regex/);
    expect(() => runFiltersOf({ tags: { $in: ["a", "b"] } })).toThrow(FilterError);
    expect(() => runFiltersOf({ "config.lr": { $exists: false } })).toThrow(FilterError);
    expect(() => runFiltersOf({ createdAt: { $gt: "2020" } })).toThrow(/createdAt/);
    expect(() => runFiltersOf([])).toThrow(FilterError);
  });
});

describe("runOrderOf", () => {
  test("W&B order strings", () => {
    expect(runOrderOf(null)).toEqual({ field: "createdAt", desc: true });
    expect(runOrderOf("+created_at")).toEqual({ field: "createdAt", desc: false });
    expect(runOrderOf("-heartbeat_at")).toEqual({ field: "heartbeatAt", desc: true });
    expect(runOrderOf("display_name")).toEqual({ field: "name", desc: false });
    expect(runOrderOf("-summary_metrics.loss")).toEqual({ field: "summary", path: "loss", desc: true });
    expect(runOrderOf("+config.lr.value")).toEqual({ field: "config", path: "lr", desc: false });
    expect(() => runOrderOf("-runtime")).toThrow(FilterError);
  });
});
