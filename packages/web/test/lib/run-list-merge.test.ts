import { describe, expect, it } from "vitest";
import { mergeRunList, withNameSearch } from "../../src/lib/run-list-merge.js";
import { makeRun } from "./run-fixture.js";

describe("mergeRunList", () => {
  const a = makeRun({ id: "a", state: "running", summary: { loss: 1 } });
  const b = makeRun({ id: "b" });
  it("answers null when a poll brings nothing new, so the list keeps its identity", () => {
    expect(mergeRunList([a, b], [{ ...a }, { ...b }])).toBeNull();
    expect(mergeRunList([a, b], [])).toBeNull();
  });
  it("replaces changed runs in place and keeps unchanged objects", () => {
    const a2 = { ...a, summary: { loss: 0.5 }, heartbeatAt: a.heartbeatAt + 2 };
    const merged = mergeRunList([a, b], [a2, { ...b }]);
    expect(merged).toEqual([a2, b]);
    expect(merged?.[0]).toBe(a2);
    expect(merged?.[1]).toBe(b);
  });
  it("sees state, tag and history changes", () => {
    expect(mergeRunList([a], [{ ...a, state: "finished" }])?.[0]?.state).toBe("finished");
    expect(mergeRunList([a], [{ ...a, tags: ["x"] }])?.[0]?.tags).toEqual(["x"]);
    const more = { ...a, offsets: { ...a.offsets, history: 10 } };
    expect(mergeRunList([a], [more])?.[0]).toBe(more);
  });
  it("puts runs it has not seen first", () => {
    const c = makeRun({ id: "c" });
    expect(mergeRunList([a, b], [c, { ...a }])?.map((r) => r.id)).toEqual(["c", "a", "b"]);
  });
});

describe("withNameSearch", () => {
  it("adds a name-contains filter for a non-blank search", () => {
    const state = { field: "state", op: "eq", value: "running" } as const;
    expect(withNameSearch([state], "  res ")).toEqual([
      state,
      { field: "name", op: "contains", value: "res" },
    ]);
    expect(withNameSearch([state], "   ")).toEqual([state]);
  });
});
