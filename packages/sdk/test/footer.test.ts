/** The end-of-run printout (reference §4.5). */
import { describe, expect, it } from "vitest";
import { formatFooter } from "../src/console/footer.js";
import { sparkline } from "../src/console/sparkline.js";

describe("sparkline", () => {
  it("draws the range with eight bars, NaN as a space, a constant series flat", () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe("▁▂▃▄▅▆▇█");
    expect(sparkline([1, Number.NaN, 2])).toBe("▁ █");
    expect(sparkline([3, 3, 3])).toBe("▁▁▁");
    expect(sparkline(Array.from({ length: 500 }, (_, i) => i))).toHaveLength(40);
  });
});

describe("footer", () => {
  it("lists up to 10 metrics, hides _ keys, flattens aggregations and says where the data is", () => {
    const sparklines = new Map(
      Array.from({ length: 12 }, (_, i) => [`m${String(i).padStart(2, "0")}`, [1, 2, 3]]),
    );
    sparklines.set("_runtime", [1, 2]);
    const lines = formatFooter({
      sparklines,
      summary: {
        "val/loss": { min: 0.123456789 },
        name: "a".repeat(25),
        _step: 3,
        img: { _type: "image-file" },
      },
      runDir: "/runs/x",
      offline: true,
    });
    const text = lines.join("\n");
    expect(text).toContain("m00 ▁▅█");
    expect(text).not.toContain("m10 ");
    expect(text).toContain("+2 ...");
    expect(text).not.toContain("_runtime");
    expect(text).toContain("val/loss.min 0.12346");
    expect(text).toContain(`name ${"a".repeat(20)}...`);
    expect(text).not.toContain("_step");
    expect(text).not.toContain("img");
    expect(text).toContain("Run data is saved locally in /runs/x");
  });
});
