import { appendDottedSegment, joinDottedPath, splitDottedPath } from "../src/index.js";
import { describe, expect, it } from "vitest";

describe("dotted paths", () => {
  it("splits on unescaped dots; \\. is a literal dot; / and other backslashes stay", () => {
    expect(splitDottedPath("train.loss")).toEqual(["train", "loss"]);
    expect(splitDottedPath("a\\.b.c")).toEqual(["a.b", "c"]);
    expect(splitDottedPath("val/acc")).toEqual(["val/acc"]);
    expect(splitDottedPath("x\\y")).toEqual(["x\\y"]);
    expect(splitDottedPath("end\\")).toEqual(["end\\"]);
    expect(splitDottedPath("")).toEqual([""]);
  });

  it("joins segments so that splitting gives them back", () => {
    for (const segments of [["train", "loss"], ["a.b", "c"], ["val/acc"], ["1.5", "x.y.z"]]) {
      expect(splitDottedPath(joinDottedPath(segments))).toEqual(segments);
    }
    expect(joinDottedPath(["a.b", "c"])).toBe("a\\.b.c");
    expect(appendDottedSegment("", "a.b")).toBe("a\\.b");
    expect(appendDottedSegment("train", "loss")).toBe("train.loss");
  });
});
