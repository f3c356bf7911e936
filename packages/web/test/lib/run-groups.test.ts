import { describe, expect, it } from "vitest";
import { flattenGroups, groupRuns, NONE_GROUP } from "../../src/lib/run-groups.js";
import { makeRun } from "./run-fixture.js";

const summary = (groups: ReturnType<typeof groupRuns>) =>
  groups.map((g) => [g.label, g.runs.map((r) => r.id)]);

describe("groupRuns", () => {
  const runs = [
    makeRun({ id: "1", group: "sweep-b", jobType: "train", config: { opt: { name: "adam" }, lr: 0.01 } }),
    makeRun({ id: "2", group: "sweep-a", jobType: "eval", config: { opt: { name: "sgd" }, lr: 0.1 } }),
    makeRun({ id: "3", group: "", jobType: "train", config: { opt: { name: "adam" }, lr: 0.001 } }),
    makeRun({ id: "4", group: "sweep-b", jobType: "", config: { lr: "0.01" } }),
    makeRun({ id: "5", group: "sweep-10", config: { lr: 0.01 } }),
  ];
  it("groups by group, in natural order, with a last (none) bucket", () => {
    expect(summary(groupRuns(runs, "group"))).toEqual([
      ["sweep-10", ["5"]],
      ["sweep-a", ["2"]],
      ["sweep-b", ["1", "4"]],
      [NONE_GROUP, ["3"]],
    ]);
  });
  it("groups by job type", () => {
    expect(summary(groupRuns(runs, "jobType"))).toEqual([
      ["eval", ["2"]],
      ["train", ["1", "3"]],
      [NONE_GROUP, ["4", "5"]],
    ]);
  });
  it("groups by a nested config value, keeping runs in table order", () => {
    expect(summary(groupRuns(runs, "config.opt.name"))).toEqual([
      ["adam", ["1", "3"]],
      ["sgd", ["2"]],
      [NONE_GROUP, ["4", "5"]],
    ]);
  });
  it('orders numbers numerically and keeps 0.01 and "0.01" apart', () => {
    expect(summary(groupRuns(runs, "config.lr"))).toEqual([
      ["0.001", ["3"]],
      ["0.01", ["1", "5"]],
      ["0.1", ["2"]],
      ["0.01", ["4"]],
    ]);
  });
  it("puts everything in (none) for an unknown grouping, and makes no empty (none)", () => {
    expect(summary(groupRuns(runs, "host"))).toEqual([[NONE_GROUP, ["1", "2", "3", "4", "5"]]]);
    expect(summary(groupRuns(runs.slice(0, 2), "group")).map((g) => g[0])).toEqual(["sweep-a", "sweep-b"]);
  });
});

describe("flattenGroups", () => {
  it("lists each header followed by its runs, except for collapsed groups", () => {
    const groups = groupRuns(
      [makeRun({ id: "1", group: "a" }), makeRun({ id: "2", group: "b" }), makeRun({ id: "3", group: "a" })],
      "group",
    );
    const rows = flattenGroups(groups, new Set([groups[1]?.key ?? ""]));
    expect(rows.map((row) => (row.kind === "group" ? `# ${row.group.label}` : row.run.id))).toEqual([
      "# a",
      "1",
      "3",
      "# b",
    ]);
    expect(rows[3]).toMatchObject({ kind: "group", collapsed: true });
  });
});
