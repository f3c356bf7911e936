import { describe, expect, it } from "vitest";
import { unionSteps, versionAt } from "../../src/lib/table-versions.js";

describe("table versions", () => {
  it("walks every step any run logged the table at, once each, ascending", () => {
    expect(
      unionSteps([
        [10, 0, 20],
        [5, 10],
      ]),
    ).toEqual([0, 5, 10, 20]);
    expect(unionSteps([])).toEqual([]);
  });
  it("shows a run's last version at or before the step, else its first", () => {
    expect(versionAt([0, 10, 20], 15)).toBe(10);
    expect(versionAt([0, 10, 20], 20)).toBe(20);
    expect(versionAt([10, 20], 5)).toBe(10);
    expect(versionAt([], 5)).toBeNull();
    expect(versionAt([1], null)).toBeNull();
  });
});
