import { describe, expect, it } from "vitest";
import { generateRunName, isGeneratedRunName } from "../src/index.js";

describe("run names", () => {
  it("makes adjective-noun-N with N one past the runs already in the project", () => {
    expect(generateRunName(0, () => 0)).toBe("amber-aurora-1");
    expect(generateRunName(41, () => 1)).toBe("ancient-bird-42");
    const random = generateRunName(9, (n) => n - 1);
    expect(random).toMatch(/^[a-z]+-[a-z]+-10$/);
    expect(isGeneratedRunName(random)).toBe(true);
    expect(isGeneratedRunName("baseline")).toBe(false);
  });
});
