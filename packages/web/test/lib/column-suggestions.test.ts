import { describe, expect, it } from "vitest";
import { columnSuggestions, resolveColumnInput } from "../../src/lib/column-suggestions.js";
import { makeRun } from "./run-fixture.js";

describe("columnSuggestions", () => {
  const runs = [
    makeRun({
      id: "1",
      config: { opt: { lr: 0.1, name: "adam" }, "a.b": 1 },
      summary: { "val/acc": 1, _step: 9 },
    }),
    makeRun({
      id: "2",
      config: { batch: 32, layers: [1, 2] },
      summary: { loss: { min: 0.1, last: 0.2 }, img: { _type: "image", path: "x.png" }, empty: {} },
    }),
  ];
  it("lists every leaf of config then summary, dotted, `.` in keys escaped, `_` keys last", () => {
    expect(columnSuggestions(runs, ["config", "summary"])).toEqual([
      "config.a\\.b",
      "config.batch",
      "config.layers",
      "config.opt.lr",
      "config.opt.name",
      "summary.empty",
      "summary.img",
      "summary.loss.last",
      "summary.loss.min",
      "summary.val/acc",
      "summary._step",
    ]);
  });
  it("can list one source only", () => {
    expect(columnSuggestions(runs, ["config"])).toHaveLength(5);
    expect(columnSuggestions([], ["config", "summary"])).toEqual([]);
  });
});

describe("resolveColumnInput", () => {
  const options = ["config.lr", "summary.lr", "summary.val/acc"];
  it("takes a full column id as typed", () => {
    expect(resolveColumnInput("config.new", options)).toBe("config.new");
  });
  it("completes a bare key when exactly one suggestion names it", () => {
    expect(resolveColumnInput("val/acc", options)).toBe("summary.val/acc");
    expect(resolveColumnInput("lr", options)).toBeNull();
    expect(resolveColumnInput("nope", options)).toBeNull();
    expect(resolveColumnInput("", options)).toBeNull();
  });
});
