import { describe, expect, it } from "vitest";
import type { RunDto } from "@stepwise/protocol";
import { buildCells, FIXED_COLUMNS, tableColumns, type Cell } from "../../src/lib/run-columns.js";
import { makeRun } from "./run-fixture.js";

describe("tableColumns", () => {
  it("puts each valid added column once right after the name, then the other fixed columns", () => {
    const columns = tableColumns(["config.opt.lr", "summary.val/acc", "host", "config.opt.lr", "summary."]);
    expect(columns.map((c) => c.id)).toEqual([
      "state",
      "name",
      "config.opt.lr",
      "summary.val/acc",
      "createdAt",
      "runtime",
      "tags",
      "group",
    ]);
    expect(columns[2]).toMatchObject({ label: "opt.lr", source: "config", align: "right" });
    expect(tableColumns([])).toEqual(FIXED_COLUMNS);
  });
});

describe("buildCells", () => {
  it("formats every cell once, reading dotted paths and `\\.` keys", () => {
    const now = 1_800_000_000;
    const run = makeRun({
      id: "r1",
      name: "resnet",
      createdAt: now - 300,
      heartbeatAt: now - 300 + 185,
      tags: ["best", "v2"],
      group: "sweep",
      config: { opt: { lr: 0.00012346 }, "a.b": 3 },
      summary: { "val/acc": 0.912345, loss: { min: 0.1 } },
    });
    const columns = tableColumns([
      "config.opt.lr",
      "summary.val/acc",
      "config.a\\.b",
      "summary.loss.min",
      "summary.x",
    ]);
    const cells = buildCells([run], columns, now)
      .get("r1")
      ?.map((c) => c.text);
    expect(cells).toEqual([
      "finished",
      "resnet",
      "1.235e-4",
      "0.9123",
      "3",
      "0.1",
      "",
      "5m ago",
      "3m 05s",
      "best, v2",
      "sweep",
    ]);
    const titles = buildCells([run], columns, now)
      .get("r1")
      ?.map((c) => c.title);
    expect(titles?.[1]).toBe("resnet (r1)");
    expect(titles?.[2]).toBe("0.00012346");
  });
});

describe("buildCells with a cache", () => {
  it("formats a run object once, and a changed run (a new object) again", () => {
    const columns = tableColumns(["summary.loss"]);
    const cache = new WeakMap<RunDto, Cell[]>();
    const first = makeRun({ id: "r1", summary: { loss: 1 } });
    const a = buildCells([first], columns, 0, cache).get("r1");
    const b = buildCells([first, makeRun({ id: "r2" })], columns, 0, cache).get("r1");
    expect(b).toBe(a);
    const changed = { ...first, summary: { loss: 2 } };
    expect(buildCells([changed], columns, 0, cache).get("r1")?.[2]?.text).toBe("2");
  });
});
