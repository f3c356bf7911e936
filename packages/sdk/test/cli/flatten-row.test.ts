/** flattenRow: nested namespaces become dotted names; leaves stay whole. */
import { describe, expect, it } from "vitest";
import { flattenRow } from "../../src/cli/format/flatten-row.js";

describe("flattenRow", () => {
  it("turns nested namespaces into dotted names in row order", () => {
    const flat = flattenRow({ _step: 0, train: { loss: 1, opt: { lr: 0.1 } }, acc: 0.5 });
    expect([...flat]).toEqual([
      ["_step", 0],
      ["train.loss", 1],
      ["train.opt.lr", 0.1],
      ["acc", 0.5],
    ]);
  });

  it("keeps arrays and data-type objects (with _type) as single values", () => {
    const image = { _type: "image-file", path: "media/a.png" };
    const flat = flattenRow({ hist: [1, 2], sample: image });
    expect(flat.get("hist")).toEqual([1, 2]);
    expect(flat.get("sample")).toBe(image);
    expect(flat.has("sample.path")).toBe(false);
  });

  it("keeps null and non-finite numbers, drops empty namespaces", () => {
    const flat = flattenRow({ a: null, b: Number.NaN, empty: {} });
    expect([...flat.keys()]).toEqual(["a", "b"]);
    expect(flat.get("b")).toBeNaN();
  });
});
