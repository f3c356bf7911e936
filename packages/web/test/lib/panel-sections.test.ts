import { describe, expect, it } from "vitest";
import { DEFAULT_SECTION, groupSections, sectionOf } from "../../src/lib/panel-sections.js";

describe("sectionOf", () => {
  it("is the text before the last slash", () => {
    expect(sectionOf("train/loss")).toBe("train");
    expect(sectionOf("a/b/c")).toBe("a/b");
    expect(sectionOf("loss")).toBe(DEFAULT_SECTION);
    expect(sectionOf("/loss")).toBe(DEFAULT_SECTION);
  });
});

describe("groupSections", () => {
  it("puts the default section first and sorts naturally", () => {
    const sections = groupSections([
      "val/acc",
      "loss",
      "train/loss",
      "a/b/c",
      "train/layer10",
      "train/layer2",
      "acc",
    ]);
    expect(sections).toEqual([
      { name: DEFAULT_SECTION, keys: ["acc", "loss"] },
      { name: "a/b", keys: ["a/b/c"] },
      { name: "train", keys: ["train/layer2", "train/layer10", "train/loss"] },
      { name: "val", keys: ["val/acc"] },
    ]);
  });
  it("has no sections without keys", () => {
    expect(groupSections([])).toEqual([]);
  });
});
