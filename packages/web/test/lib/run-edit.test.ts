import { describe, expect, it } from "vitest";
import { addTags, checkRunName, MAX_TAGS, removeTag } from "../../src/lib/run-edit.js";

describe("addTags", () => {
  it("trims and appends a new tag", () => {
    expect(addTags(["a"], "  baseline ")).toEqual({ ok: true, tags: ["a", "baseline"] });
  });
  it("adds comma-separated tags once each, skipping those already there", () => {
    expect(addTags(["a"], "b, a, c, b")).toEqual({ ok: true, tags: ["a", "b", "c"] });
  });
  it("refuses empty input, duplicates and tags over 64 characters", () => {
    expect(addTags([], "  , ")).toEqual({ ok: false, error: "Type a tag first." });
    expect(addTags(["a"], "a")).toEqual({ ok: false, error: '"a" is already a tag.' });
    const long = addTags([], "x".repeat(65));
    expect(long.ok).toBe(false);
    expect(!long.ok && long.error).toContain("at most 64 characters");
    expect(!long.ok && long.error).toContain("has 65");
    expect(addTags([], "x".repeat(64)).ok).toBe(true);
  });
  it("refuses more than 256 tags", () => {
    const full = Array.from({ length: MAX_TAGS }, (_, i) => `t${i}`);
    const result = addTags(full, "one-more");
    expect(result).toEqual({ ok: false, error: "A run has at most 256 tags; remove one first." });
    expect(addTags(full.slice(1), "one-more").ok).toBe(true);
  });
});

describe("removeTag", () => {
  it("removes only that tag", () => {
    expect(removeTag(["a", "b", "c"], "b")).toEqual(["a", "c"]);
    expect(removeTag(["a"], "z")).toEqual(["a"]);
  });
});

describe("checkRunName", () => {
  it("trims the name and refuses an empty or over-long one", () => {
    expect(checkRunName("  resnet-final ")).toEqual({ ok: true, name: "resnet-final" });
    expect(checkRunName("   ")).toEqual({ ok: false, error: "A run needs a name." });
    expect(checkRunName("n".repeat(256)).ok).toBe(true);
    expect(checkRunName("n".repeat(257))).toEqual({
      ok: false,
      error: "A name is at most 256 characters; this one has 257.",
    });
  });
});
