import { describe, expect, it } from "vitest";
import { hiddenTest, hideAll, showAll, toggleHidden, visibleRuns } from "../../src/lib/run-visibility.js";

describe("run visibility", () => {
  it("hides listed ids and toggles them back", () => {
    const hidden = toggleHidden([], "a");
    expect(hidden).toEqual(["a"]);
    expect(hiddenTest(hidden)("a")).toBe(true);
    expect(hiddenTest(hidden)("b")).toBe(false);
    expect(toggleHidden(hidden, "a")).toEqual([]);
  });
  it("hides every run with `*` and shows single runs again with `!id`", () => {
    let hidden = hideAll();
    expect(hiddenTest(hidden)("anything")).toBe(true);
    hidden = toggleHidden(hidden, "b");
    expect(hidden).toEqual(["*", "!b"]);
    expect(hiddenTest(hidden)("b")).toBe(false);
    expect(hiddenTest(hidden)("c")).toBe(true);
    expect(toggleHidden(hidden, "b")).toEqual(["*"]);
    expect(showAll()).toEqual([]);
  });
  it("keeps the first `cap` visible runs in table order", () => {
    const runs = ["a", "b", "c", "d", "e"].map((id) => ({ id }));
    expect(visibleRuns(runs, ["b"], 3).map((r) => r.id)).toEqual(["a", "c", "d"]);
    expect(visibleRuns(runs, ["*", "!e", "!a"], 10).map((r) => r.id)).toEqual(["a", "e"]);
  });
});
