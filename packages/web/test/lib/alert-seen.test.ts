import { describe, expect, it } from "vitest";
import { parseSeenId, seenAfterOpening, unseenAlerts } from "../../src/lib/alert-seen.js";

const alerts = [{ id: 9 }, { id: 7 }, { id: 4 }];

describe("the alert bell's count", () => {
  it("counts alerts newer than the last one seen", () => {
    expect(unseenAlerts(alerts, 0)).toBe(3);
    expect(unseenAlerts(alerts, 7)).toBe(1);
    expect(unseenAlerts(alerts, 9)).toBe(0);
    expect(unseenAlerts([], 5)).toBe(0);
  });

  it("marks the newest shown as seen on opening, never going back", () => {
    expect(seenAfterOpening(alerts, 2)).toBe(9);
    expect(seenAfterOpening([{ id: 3 }], 9)).toBe(9);
    expect(seenAfterOpening([], 4)).toBe(4);
  });

  it("reads a missing or damaged stored value as nothing seen", () => {
    expect(parseSeenId(null)).toBe(0);
    expect(parseSeenId("12")).toBe(12);
    for (const bad of ["", "abc", "-3", "1.5", "1e400"]) expect(parseSeenId(bad)).toBe(0);
  });
});
