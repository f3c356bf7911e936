import { describe, expect, it } from "vitest";
import { planStream } from "../src/domain/stream-offsets.js";

describe("stream offsets", () => {
  it("appends at the count, skips what is stored, and reports a gap past the count", () => {
    expect(planStream("history", 10, 5, 10)).toEqual({ kind: "apply", skip: 0, from: 10, newCount: 15 });
    expect(planStream("history", 8, 5, 10)).toEqual({ kind: "apply", skip: 2, from: 10, newCount: 13 });
    expect(planStream("events", 0, 5, 10)).toEqual({ kind: "apply", skip: 5, from: 5, newCount: 10 });
    expect(planStream("meta", 11, 1, 10)).toEqual({ kind: "gap", expected: 10 });
  });

  it("rewrites console lines at old offsets and extends the count past the end", () => {
    expect(planStream("console", 8, 5, 10)).toEqual({ kind: "apply", skip: 0, from: 8, newCount: 13 });
    expect(planStream("console", 0, 2, 10)).toEqual({ kind: "apply", skip: 0, from: 0, newCount: 10 });
    expect(planStream("console", 12, 1, 10)).toEqual({ kind: "gap", expected: 10 });
  });
});
