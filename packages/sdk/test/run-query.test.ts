/** The run filter and order expressions shared by `api.runs()` and `stepwise runs`. */
import { UsageError } from "@stepwise/protocol";
import { describe, expect, it } from "vitest";
import { parseFilterExpression, parseRunOrder } from "../src/index.js";

describe("parseFilterExpression", () => {
  it.each([
    ["summary.val/acc>0.9", { field: "summary", path: "val/acc", op: "gt", value: 0.9 }],
    ["summary.loss<=1e-3", { field: "summary", path: "loss", op: "lte", value: 0.001 }],
    ["config.opt.lr>=0.01", { field: "config", path: "opt.lr", op: "gte", value: 0.01 }],
    ["config.model=resnet", { field: "config", path: "model", op: "eq", value: "resnet" }],
    ["config.model=resnet,vit", { field: "config", path: "model", op: "in", value: ["resnet", "vit"] }],
    ['config.id="42"', { field: "config", path: "id", op: "eq", value: "42" }],
    ["config.amp!=true", { field: "config", path: "amp", op: "ne", value: true }],
    ['config.model>"b"', { field: "config", path: "model", op: "gt", value: "b" }],
    ["summary.loss?", { field: "summary", path: "loss", op: "exists" }],
    ["state=finished", { field: "state", op: "eq", value: "finished" }],
    ["state=finished,failed", { field: "state", op: "in", value: ["finished", "failed"] }],
    ["state!=crashed", { field: "state", op: "ne", value: "crashed" }],
    ["tags=best", { field: "tags", op: "contains", value: "best" }],
    ["name~resnet", { field: "name", op: "contains", value: "resnet" }],
    ["group=a,b", { field: "group", op: "in", value: ["a", "b"] }],
  ])("reads %s", (text, filter) => {
    expect(parseFilterExpression(text)).toEqual(filter);
  });

  it.each([
    ["summary.acc", /no operator/],
    ["acc>0.9", /the field must be state, tags/],
    ["state=done", /state must be one of running, finished/],
    ["summary.acc~1", /~ applies to tags/],
    ["summary.acc>", /a field and a value are needed/],
    ["summary.acc >> 0.9", /the value "> 0.9" holds another operator/],
    ["summary.acc=>0.9", /the value ">0.9" holds another operator/],
    ["summary.val/acc > 0.9 extra", /> compares numbers and "0.9 extra" is not one/],
    ["config.lr<=small", /<= compares numbers/],
  ])("rejects %s with a UsageError that says why", (text, reason) => {
    expect(() => parseFilterExpression(text)).toThrow(UsageError);
    expect(() => parseFilterExpression(text)).toThrow(reason);
  });
});

describe("parseRunOrder", () => {
  it("reads [-]field and [-]summary/config paths", () => {
    expect(parseRunOrder("-summary.loss")).toEqual({ field: "summary", path: "loss", desc: true });
    expect(parseRunOrder("createdAt")).toEqual({ field: "createdAt", desc: false });
    expect(parseRunOrder("+config.opt.lr")).toEqual({ field: "config", path: "opt.lr", desc: false });
    expect(() => parseRunOrder("-loss")).toThrow(/use \[-\]createdAt/);
  });
});
