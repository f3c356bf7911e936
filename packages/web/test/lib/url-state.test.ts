import { describe, expect, it } from "vitest";
import {
  defaultWorkspaceView,
  formatWorkspaceView,
  parseWorkspaceView,
  type WorkspaceView,
} from "../../src/lib/url-state.js";

const full: WorkspaceView = {
  filter: 'summary.val/acc > 0.9 and config.opt.name = "adam, sgd"',
  search: "resnet 50&more",
  sort: "-summary.val/acc",
  groupBy: "config.opt.name",
  hidden: ["abc123", "def456"],
  columns: ["config.lr", "summary.val/acc", "config.a\\.b"],
  xAxis: "_runtime",
  smoothing: "ema:0.6",
  logScale: ["train/loss", "val/loss"],
  panelX: { "train/loss": "_step", "a b": "epoch~x" },
  metricSearch: "/^train\\/(loss|acc)$/i",
};

describe("formatWorkspaceView", () => {
  it("omits every default, so the default view is the empty query", () => {
    expect(formatWorkspaceView(defaultWorkspaceView)).toBe("");
  });
  it("writes parameters in a stable order and keeps paths readable", () => {
    const query = formatWorkspaceView({
      ...defaultWorkspaceView,
      hidden: ["r2"],
      filter: "summary.val/acc > 0.9",
      sort: "name",
    });
    expect(query).toBe("filter=summary.val/acc%20%3E%200.9&sort=name&hidden=r2");
  });
  it("drops list items it could not read back (a `,` in an item, a `~` in a panel key)", () => {
    const view = {
      ...defaultWorkspaceView,
      columns: ["config.a,b", "summary.x"],
      panelX: { "a~b": "c", d: "e" },
    };
    expect(formatWorkspaceView(view)).toBe("cols=summary.x&px=d~e");
  });
});

describe("metric search (param metrics)", () => {
  it("reads back a regex with slashes, pipes and a plus sign exactly", () => {
    const view = { ...defaultWorkspaceView, metricSearch: "/^block1\\/m(1|2)+$/" };
    const query = formatWorkspaceView(view);
    expect(query.startsWith("metrics=")).toBe(true);
    expect(parseWorkspaceView(query).metricSearch).toBe(view.metricSearch);
    expect(parseWorkspaceView("metrics=val%2Facc").metricSearch).toBe("val/acc");
  });
});

describe("parseWorkspaceView", () => {
  it("round-trips a full view", () => {
    expect(parseWorkspaceView(formatWorkspaceView(full))).toEqual(full);
    expect(parseWorkspaceView(`?${formatWorkspaceView(full)}`)).toEqual(full);
  });
  it("gives the defaults for an empty query", () => {
    expect(parseWorkspaceView("")).toEqual(defaultWorkspaceView);
    expect(parseWorkspaceView("?")).toEqual(defaultWorkspaceView);
  });
  it("reads queries written by URLSearchParams (`+` for spaces)", () => {
    const params = new URLSearchParams({
      filter: "config.lr < 0.01",
      q: "a b",
      cols: "config.lr,summary.acc",
    });
    const view = parseWorkspaceView(params.toString());
    expect(view.filter).toBe("config.lr < 0.01");
    expect(view.search).toBe("a b");
    expect(view.columns).toEqual(["config.lr", "summary.acc"]);
  });
  it("falls back to defaults for values that make no sense", () => {
    const view = parseWorkspaceView(
      "sort=DROP%20TABLE&groupBy=host&cols=lr,summary.,config.lr&smooth=ema:1.5&x=_step&px=novalue,~x,k~",
    );
    expect(view.sort).toBe("-createdAt");
    expect(view.groupBy).toBe("");
    expect(view.columns).toEqual(["config.lr"]);
    expect(view.smoothing).toBe("");
    expect(view.xAxis).toBe("_step");
    expect(view.panelX).toEqual({});
  });
  it("accepts each smoothing form and rejects the rest", () => {
    expect(parseWorkspaceView("smooth=ema:0.999").smoothing).toBe("ema:0.999");
    expect(parseWorkspaceView("smooth=ema:0").smoothing).toBe("ema:0");
    expect(parseWorkspaceView("smooth=avg:10").smoothing).toBe("avg:10");
    expect(parseWorkspaceView("smooth=avg:0").smoothing).toBe("");
    expect(parseWorkspaceView("smooth=avg:-3").smoothing).toBe("");
    expect(parseWorkspaceView("smooth=gauss:2").smoothing).toBe("");
  });
  it("never throws on malformed escapes, and keeps the first of repeated parameters", () => {
    expect(parseWorkspaceView("filter=%E0%A4%A&q=%&q=second").filter).toBe("%E0%A4%A");
    expect(parseWorkspaceView("q=%&q=second").search).toBe("%");
    expect(() => parseWorkspaceView("&&=&cols=,,,&hidden&px=%7E")).not.toThrow();
  });
  it("drops empty and duplicate list items", () => {
    expect(parseWorkspaceView("hidden=a,,b,a,").hidden).toEqual(["a", "b"]);
  });
  it("does not let a `__proto__` key replace the record's prototype", () => {
    const view = parseWorkspaceView("px=__proto__~_step,a~b");
    expect(view.panelX).toEqual({ a: "b" });
    expect(Object.getPrototypeOf(view.panelX)).toBe(Object.prototype);
  });
  it("accepts each sortable column, ascending and descending", () => {
    for (const sort of [
      "name",
      "-state",
      "createdAt",
      "-runtime",
      "group",
      "jobType",
      "-config.opt.lr",
      "summary.a/b",
    ]) {
      expect(parseWorkspaceView(`sort=${sort}`).sort).toBe(sort);
    }
  });
});
