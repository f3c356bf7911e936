import { describe, expect, it } from "vitest";
import { readDottedValue, splitValueColumn } from "../../src/lib/dotted-value.js";

describe("readDottedValue", () => {
  const record = { opt: { lr: 0.1, "x.y": 2 }, "val/acc": 0.9, "a.b": 1, list: [1, 2], n: null };
  it("follows dotted paths the way the server does", () => {
    expect(readDottedValue(record, "opt.lr")).toBe(0.1);
    expect(readDottedValue(record, "val/acc")).toBe(0.9);
    expect(readDottedValue(record, "a\\.b")).toBe(1);
    expect(readDottedValue(record, "opt.x\\.y")).toBe(2);
    expect(readDottedValue(record, "n")).toBeNull();
  });
  it("answers undefined for missing keys, through arrays, nulls and prototypes", () => {
    expect(readDottedValue(record, "opt.missing")).toBeUndefined();
    expect(readDottedValue(record, "list.0")).toBeUndefined();
    expect(readDottedValue(record, "n.x")).toBeUndefined();
    expect(readDottedValue(record, "toString")).toBeUndefined();
  });
});

describe("splitValueColumn", () => {
  it("splits config/summary columns and rejects the rest", () => {
    expect(splitValueColumn("summary.val/acc")).toEqual({ source: "summary", path: "val/acc" });
    expect(splitValueColumn("config.opt.lr")).toEqual({ source: "config", path: "opt.lr" });
    expect(splitValueColumn("config.")).toBeNull();
    expect(splitValueColumn("name")).toBeNull();
    expect(splitValueColumn("host.x")).toBeNull();
  });
});
