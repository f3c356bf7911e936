import { describe, expect, it } from "vitest";
import { comparePath, runPath, workspacePath } from "../../src/lib/app-paths.js";

describe("app paths", () => {
  it("encodes every segment", () => {
    expect(workspacePath("local", "my project+1")).toBe("/local/my%20project%2B1");
    expect(runPath("team@x", "vision", "ab12")).toBe("/team%40x/vision/runs/ab12");
  });
  it("lists compared runs in order, comma-separated", () => {
    expect(comparePath("local", "vision", ["b2", "a1", "c 3"])).toBe(
      "/local/vision/compare?runs=b2,a1,c%203",
    );
  });
});
