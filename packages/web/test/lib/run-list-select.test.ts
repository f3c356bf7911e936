import { describe, expect, it } from "vitest";
import {
  columnListed,
  mergeValues,
  runListSelect,
  selectCovers,
  selectKey,
} from "../../src/lib/run-list-select.js";

describe("runListSelect", () => {
  it("asks for the added columns, the sort and group paths, and the summary's _step", () => {
    expect(
      runListSelect({
        columns: ["summary.val/acc.max", "config.opt.lr", "config.a\\.b"],
        sort: "-summary.loss",
        groupBy: "config.model",
      }),
    ).toEqual({
      config: ["a\\.b", "model", "opt.lr"],
      summary: ["_step", "loss", "val/acc.max"],
    });
  });

  it("asks for no config and only _step when the table shows no value columns", () => {
    expect(runListSelect({ columns: [], sort: "-createdAt", groupBy: "group" })).toEqual({
      config: [],
      summary: ["_step"],
    });
  });

  it("gives equal selections equal keys whatever the column order", () => {
    const a = runListSelect({ columns: ["config.x", "summary.y"], sort: "name", groupBy: "" });
    const b = runListSelect({ columns: ["summary.y", "config.x"], sort: "name", groupBy: "" });
    expect(selectKey(a)).toBe(selectKey(b));
    expect(selectKey(a)).not.toBe(
      selectKey(runListSelect({ columns: ["config.x"], sort: "name", groupBy: "" })),
    );
  });
});

describe("selectCovers and columnListed", () => {
  const select = { config: ["opt.lr"], summary: ["_step", "loss"] };

  it("a selection covers what it lists; whole runs cover everything", () => {
    expect(selectCovers(select, { config: ["opt.lr"], summary: ["loss"] })).toBe(true);
    expect(selectCovers(select, { config: [], summary: ["acc"] })).toBe(false);
    expect(selectCovers(undefined, { config: ["x"], summary: [] })).toBe(true);
  });

  it("a value column is listed once its path is selected; run columns always are", () => {
    expect(columnListed("summary.loss", select)).toBe(true);
    expect(columnListed("config.opt.lr", select)).toBe(true);
    expect(columnListed("summary.acc", select)).toBe(false);
    expect(columnListed("config.loss", select)).toBe(false);
    expect(columnListed("name", select)).toBe(true);
    expect(columnListed("summary.acc", undefined)).toBe(true);
  });
});

describe("mergeValues", () => {
  it("joins two selections of a run's values, nested objects member by member", () => {
    const image = { _type: "image-file", path: "media/a.png" };
    expect(mergeValues({ media: { img: image }, _step: 3 }, { media: { x: 1 }, loss: 2 })).toEqual({
      media: { img: image, x: 1 },
      _step: 3,
      loss: 2,
    });
  });

  it("keeps a __proto__ key a plain member", () => {
    const listed = JSON.parse('{"__proto__": {"polluted": 1}}') as Record<string, unknown>;
    const merged = mergeValues({}, listed);
    expect(Object.keys(merged)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
  });
});
