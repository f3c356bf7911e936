import { describe, expect, it } from "vitest";
import {
  compareSegments,
  filterRows,
  flattenValues,
  formatCell,
  formatNumber,
  mediaType,
  toJson,
} from "../../src/lib/flatten-values.js";

const keys = (values: Record<string, unknown>, depth?: number) =>
  flattenValues(values, depth).map((r) => r.key);

describe("flattenValues", () => {
  it("turns nested objects into dotted keys and keeps the leaf values", () => {
    const rows = flattenValues({ opt: { lr: 0.1, betas: [0.9, 0.99] }, epochs: 10 });
    expect(rows).toEqual([
      { key: "epochs", segments: ["epochs"], value: 10 },
      { key: "opt.betas", segments: ["opt", "betas"], value: [0.9, 0.99] },
      { key: "opt.lr", segments: ["opt", "lr"], value: 0.1 },
    ]);
  });

  it("shows aggregated summaries (defineMetric) as loss.min, loss.max …", () => {
    const summary = { "val/loss": { min: 0.1, max: 2.5, last: 0.2 }, acc: 0.9, _step: 99 };
    expect(keys(summary)).toEqual(["acc", "val/loss.last", "val/loss.max", "val/loss.min", "_step"]);
  });

  it("escapes a literal dot in a key, as filter paths do", () => {
    expect(keys({ "a.b": { c: 1 } })).toEqual(["a\\.b.c"]);
    expect(flattenValues({ "a.b": 1 })[0]?.segments).toEqual(["a.b"]);
  });

  it("keeps arrays, empty objects and media references as single values", () => {
    const image = { _type: "image-file", path: "media/a.png" };
    const rows = flattenValues({ list: [{ a: 1 }], empty: {}, img: image });
    expect(rows.map((r) => [r.key, r.value])).toEqual([
      ["empty", {}],
      ["img", image],
      ["list", [{ a: 1 }]],
    ]);
  });

  it("stops at the depth limit and keeps the rest as one value", () => {
    expect(keys({ a: { b: { c: { d: 1 } } } }, 2)).toEqual(["a.b"]);
    expect(flattenValues({ a: { b: { c: 1 } } }, 2)[0]?.value).toEqual({ c: 1 });
  });

  it("orders numbers in names numerically and keeps a parent's rows together", () => {
    expect(keys({ layer10: 1, layer2: 1, "a-b": 1, a: { z: 1 } })).toEqual([
      "a.z",
      "a-b",
      "layer2",
      "layer10",
    ]);
    expect(compareSegments(["a"], ["a", "b"])).toBeLessThan(0);
    expect(compareSegments(["_x"], ["z"])).toBeGreaterThan(0);
  });
});

describe("formatNumber", () => {
  it("keeps integers exact and rounds the rest to five significant digits", () => {
    expect(formatNumber(42)).toBe("42");
    expect(formatNumber(-1234567)).toBe("-1234567");
    expect(formatNumber(0.1 + 0.2)).toBe("0.3");
    expect(formatNumber(3.14159265)).toBe("3.1416");
    expect(formatNumber(0.001)).toBe("0.001");
    expect(formatNumber(123456.78)).toBe("123457");
  });
  it("uses exponents for very small and very large values", () => {
    expect(formatNumber(1.23456e-7)).toBe("1.235e-7");
    expect(formatNumber(1e-5)).toBe("1e-5");
    expect(formatNumber(2.5e20)).toBe("2.5e20");
  });
  it("names the non-finite values", () => {
    expect(formatNumber(Number.NaN)).toBe("NaN");
    expect(formatNumber(Infinity)).toBe("Infinity");
    expect(formatNumber(-Infinity)).toBe("-Infinity");
  });
});

describe("formatCell", () => {
  it("formats each kind of value and keeps the exact one for the title", () => {
    expect(formatCell(0.1 + 0.2)).toEqual({ text: "0.3", title: "0.30000000000000004", kind: "number" });
    expect(formatCell("adam")).toEqual({ text: "adam", title: "adam", kind: "string" });
    expect(formatCell("")).toEqual({ text: '""', title: "", kind: "string" });
    expect(formatCell(true)).toEqual({ text: "true", title: "true", kind: "boolean" });
    expect(formatCell(null)).toEqual({ text: "null", title: "null", kind: "null" });
    expect(formatCell(undefined).kind).toBe("missing");
    expect(formatCell([1, Number.NaN, { a: "x" }])).toEqual({
      text: '[1,NaN,{"a":"x"}]',
      title: '[1,NaN,{"a":"x"}]',
      kind: "json",
    });
  });
  it("shows a media reference as its type", () => {
    const cell = formatCell({ _type: "image-file", path: "x.png" });
    expect(cell.text).toBe("image-file");
    expect(cell.kind).toBe("media");
    expect(mediaType({ _type: 3 })).toBeNull();
  });
  it("cuts long text but not its title", () => {
    const long = "x".repeat(500);
    const cell = formatCell(long);
    expect(cell.text).toHaveLength(120);
    expect(cell.text.endsWith("…")).toBe(true);
    expect(cell.title).toBe(long);
  });
  it("writes JSON with infinities readable", () => {
    expect(toJson({ a: [Infinity, -Infinity], b: undefined })).toBe('{"a":[Infinity,-Infinity]}');
  });
});

describe("filterRows", () => {
  const rows = flattenValues({ opt: { lr: 0.1, name: "adam" }, epochs: 10 });
  it("matches keys and cell text, case-insensitively", () => {
    expect(filterRows(rows, "OPT").map((r) => r.key)).toEqual(["opt.lr", "opt.name"]);
    expect(filterRows(rows, "adam").map((r) => r.key)).toEqual(["opt.name"]);
    expect(filterRows(rows, "  ")).toHaveLength(3);
    expect(filterRows(rows, "nothing")).toEqual([]);
  });
});

describe("deep values", () => {
  const nested = (depth: number): Record<string, unknown> => {
    let value: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < depth; i++) value = { x: value };
    return value;
  };

  it("cuts nesting at the flatten depth and marks the cut row expandable", () => {
    const rows = flattenValues({ cfg: nested(100) });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ key: "cfg.x.x.x.x.x", expandable: true });
  });

  it("opens the next levels of an expanded key, and only those", () => {
    const first = flattenValues({ cfg: nested(100) })[0]?.key as string;
    const rows = flattenValues({ cfg: nested(100) }, undefined, new Set([first]));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.segments).toHaveLength(12);
    expect(rows[0]?.expandable).toBe(true);
    const small = flattenValues({ cfg: nested(8) }, undefined, new Set([first]));
    expect(small).toEqual([expect.objectContaining({ key: "cfg.x.x.x.x.x.x.x.x.leaf", value: 1 })]);
    expect(small[0]?.expandable).toBeUndefined();
  });

  it("formats a legacy value nested 10,000 deep without overflowing, in a bounded cell", () => {
    const rows = flattenValues({ legacy: nested(10_000) });
    const cell = formatCell(rows[0]?.value);
    expect(cell.kind).toBe("json");
    expect(cell.text.length).toBeLessThanOrEqual(120);
    expect(cell.title).toContain("{…}");
    expect(cell.title.length).toBeLessThan(200);
    expect(filterRows(rows, "legacy")).toHaveLength(1);
    expect(toJson([[[[1]]]], 2)).toBe("[[[…]]]");
  });
});
