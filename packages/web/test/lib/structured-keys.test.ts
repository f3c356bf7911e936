import { describe, expect, it } from "vitest";
import { kindWarning, structuredKeysOf } from "../../src/lib/structured-keys.js";

const histogram = { _type: "histogram", values: [1, 2], bins: [0, 1, 2] };
const table = { _type: "table-file", path: "media/table/t.table.json" };

describe("structuredKeysOf", () => {
  it("finds histogram and table keys in summaries (nested as dotted paths) and chart keys in config", () => {
    const kinds = structuredKeysOf([
      {
        summary: { "w/hist": histogram, loss: 1, nested: { h: histogram }, img: { _type: "image-file" } },
        config: {},
      },
      {
        summary: { preds: table, pr_table: table },
        config: { lr: 0.1, _wandb: { visualize: { pr: { panel_type: "Vega2" } } } },
      },
    ]);
    expect(Object.fromEntries(kinds)).toEqual({
      "w/hist": "histogram",
      "nested.h": "histogram",
      preds: "table",
      pr_table: "table",
      pr: "custom",
    });
  });
});

describe("kindWarning", () => {
  const kind = (k: string, first: number, last: number) => ({
    kind: k,
    panel: "chart" as const,
    runs: 1,
    count: 1,
    firstStep: first,
    lastStep: last,
  });
  it("names each kind with its steps when the key changed kind", () => {
    const text = kindWarning("x", [kind("number", 0, 9), kind("histogram", 10, 19)], true);
    expect(text).toContain("numbers at steps 0–9");
    expect(text).toContain("histograms at steps 10–19");
  });
  it("says nothing for a key that held one kind of panel", () => {
    expect(kindWarning("x", [kind("number", 0, 9)], false)).toBeNull();
    expect(kindWarning("x", [kind("number", 0, 9), kind("number", 1, 1)], false)).toBeNull();
  });
});
