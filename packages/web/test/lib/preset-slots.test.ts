import { describe, expect, it } from "vitest";
import { fillPresetSlots, presetSlots } from "../../src/lib/preset-slots.js";

const spec = {
  data: { name: "table" },
  title: "${string:title}",
  mark: "point",
  encoding: {
    x: { field: "${field:x}", type: "quantitative", title: "${field:x} (${string:unit})" },
    y: { field: "${field:y}", type: "quantitative" },
  },
  layer: [{ encoding: { color: { field: "${field:x}" } } }],
};

describe("preset slots", () => {
  it("lists each field and string slot once, in order of first use", () => {
    expect(presetSlots(spec)).toEqual({ fields: ["x", "y"], strings: ["title", "unit"] });
  });
  it("fills every slot inside any string, an unbound one with empty text", () => {
    const filled = fillPresetSlots(spec, { x: "recall", y: "precision" }, { title: "PR" });
    expect(filled).toEqual({
      data: { name: "table" },
      title: "PR",
      mark: "point",
      encoding: {
        x: { field: "recall", type: "quantitative", title: "recall ()" },
        y: { field: "precision", type: "quantitative" },
      },
      layer: [{ encoding: { color: { field: "recall" } } }],
    });
  });
});
