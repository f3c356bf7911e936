import { describe, expect, it } from "vitest";
import {
  parseSortSpec,
  serverSortable,
  sortRuns,
  sortSpecToOrder,
  toggleSort,
} from "../../src/lib/run-sort.js";
import { makeRun } from "./run-fixture.js";

const ids = (runs: { id: string }[]) => runs.map((r) => r.id);

describe("sort specs", () => {
  it("reads the direction from a leading `-`", () => {
    expect(parseSortSpec("-createdAt")).toEqual({ column: "createdAt", desc: true });
    expect(parseSortSpec("summary.val/acc")).toEqual({ column: "summary.val/acc", desc: false });
  });
  it("maps to the server's order where it has one", () => {
    expect(sortSpecToOrder("-createdAt")).toEqual({ field: "createdAt", desc: true });
    expect(sortSpecToOrder("name")).toEqual({ field: "name", desc: false });
    expect(sortSpecToOrder("-summary.val/acc")).toEqual({ field: "summary", path: "val/acc", desc: true });
    expect(sortSpecToOrder("config.opt.lr")).toEqual({ field: "config", path: "opt.lr", desc: false });
    expect(sortSpecToOrder("-runtime")).toBeUndefined();
    expect(sortSpecToOrder("group")).toBeUndefined();
    expect(serverSortable("-state")).toBe(true);
    expect(serverSortable("tags")).toBe(false);
  });
  it("toggles: the same column flips, another column starts ascending", () => {
    expect(toggleSort("-createdAt", "createdAt")).toBe("createdAt");
    expect(toggleSort("createdAt", "createdAt")).toBe("-createdAt");
    expect(toggleSort("-createdAt", "name")).toBe("name");
    expect(toggleSort("name", "name")).toBe("-name");
    expect(toggleSort("-name", "summary.val/acc")).toBe("summary.val/acc");
  });
});

describe("sortRuns", () => {
  const runs = [
    makeRun({
      id: "a",
      name: "run-10",
      createdAt: 3,
      summary: { "val/acc": 0.5 },
      config: { opt: { lr: 0.1 } },
    }),
    makeRun({ id: "b", name: "run-2", createdAt: 1, summary: { "val/acc": 0.9 } }),
    makeRun({
      id: "c",
      name: "Run-3",
      createdAt: 2,
      summary: { "val/acc": "n/a" },
      config: { opt: { lr: 0.01 } },
    }),
    makeRun({ id: "d", name: "run-1", createdAt: 4, summary: {} }),
  ];
  it("sorts by created time both ways", () => {
    expect(ids(sortRuns(runs, "-createdAt"))).toEqual(["d", "a", "c", "b"]);
    expect(ids(sortRuns(runs, "createdAt"))).toEqual(["b", "c", "a", "d"]);
  });
  it("sorts names naturally and case-insensitively", () => {
    expect(ids(sortRuns(runs, "name"))).toEqual(["d", "b", "c", "a"]);
  });
  it("puts numbers before text and missing values last, in both directions", () => {
    expect(ids(sortRuns(runs, "summary.val/acc"))).toEqual(["a", "b", "c", "d"]);
    expect(ids(sortRuns(runs, "-summary.val/acc"))).toEqual(["c", "b", "a", "d"]);
  });
  it("reads nested config paths and breaks ties newest first", () => {
    expect(ids(sortRuns(runs, "config.opt.lr"))).toEqual(["c", "a", "d", "b"]);
  });
  it("sorts by runtime, tags and group, with empty values last", () => {
    const more = [
      makeRun({ id: "x", createdAt: 0, heartbeatAt: 50, tags: ["b"], group: "g2" }),
      makeRun({ id: "y", createdAt: 0, heartbeatAt: 10, finishedAt: 500, tags: [], group: "" }),
      makeRun({ id: "z", createdAt: 0, heartbeatAt: 20, tags: ["a", "c"], group: "g1" }),
    ];
    expect(ids(sortRuns(more, "-runtime"))).toEqual(["y", "x", "z"]);
    expect(ids(sortRuns(more, "tags"))).toEqual(["z", "x", "y"]);
    expect(ids(sortRuns(more, "-tags"))).toEqual(["x", "z", "y"]);
    expect(ids(sortRuns(more, "group"))).toEqual(["z", "x", "y"]);
  });
  it("leaves its input alone and sorts 10,000 runs quickly", () => {
    const many = Array.from({ length: 10_000 }, (_, i) =>
      makeRun({ id: `r${i}`, createdAt: i, summary: { loss: Math.sin(i) } }),
    );
    const start = performance.now();
    const sorted = sortRuns(many, "summary.loss");
    expect(performance.now() - start).toBeLessThan(200);
    expect(many[0]?.id).toBe("r0");
    for (let i = 1; i < sorted.length; i++) {
      expect((sorted[i]?.summary.loss as number) >= (sorted[i - 1]?.summary.loss as number)).toBe(true);
    }
  });
});
