import { describe, expect, it } from "vitest";
import { parseFilterExpression } from "../../src/lib/filter-expression.js";

function filters(text: string) {
  const result = parseFilterExpression(text);
  if (!result.ok) throw new Error(`did not parse: ${result.message}`);
  return result.filters;
}

function failure(text: string) {
  const result = parseFilterExpression(text);
  if (result.ok) throw new Error(`parsed: ${JSON.stringify(result.filters)}`);
  return result;
}

describe("parseFilterExpression: comparisons on config and summary", () => {
  it("reads the issue's example, with `/` inside a key", () => {
    expect(filters("summary.val/acc > 0.9 and config.lr < 0.01")).toEqual([
      { field: "summary", path: "val/acc", op: "gt", value: 0.9 },
      { field: "config", path: "lr", op: "lt", value: 0.01 },
    ]);
  });
  it("maps every comparison operator", () => {
    const ops = { "=": "eq", "==": "eq", "!=": "ne", "<": "lt", "<=": "lte", ">": "gt", ">=": "gte" };
    for (const [text, op] of Object.entries(ops)) {
      expect(filters(`config.x ${text} 1`)).toEqual([{ field: "config", path: "x", op, value: 1 }]);
    }
  });
  it("needs no spaces around operators", () => {
    expect(filters("summary.val/acc>=0.9&&config.lr<-1e-3")).toEqual([
      { field: "summary", path: "val/acc", op: "gte", value: 0.9 },
      { field: "config", path: "lr", op: "lt", value: -0.001 },
    ]);
  });
  it("keeps nested paths, `-`, `_` and `\\.` escapes exactly as the server reads them", () => {
    expect(filters('config.opt.name = "adam"')).toEqual([
      { field: "config", path: "opt.name", op: "eq", value: "adam" },
    ]);
    expect(filters("config.a\\.b_c-d = 2")).toEqual([
      { field: "config", path: "a\\.b_c-d", op: "eq", value: 2 },
    ]);
  });
  it("reads quoted strings (both quotes, escapes), literals and bare words", () => {
    expect(filters(`config.s = 'it\\'s' and config.t = "a \\"b\\"" and config.u = adam`)).toEqual([
      { field: "config", path: "s", op: "eq", value: "it's" },
      { field: "config", path: "t", op: "eq", value: 'a "b"' },
      { field: "config", path: "u", op: "eq", value: "adam" },
    ]);
    expect(filters("config.a = TRUE and config.b = false and config.c = null and config.d = '1'")).toEqual([
      { field: "config", path: "a", op: "eq", value: true },
      { field: "config", path: "b", op: "eq", value: false },
      { field: "config", path: "c", op: "eq", value: null },
      { field: "config", path: "d", op: "eq", value: "1" },
    ]);
  });
  it("reads `in` lists with parentheses or brackets", () => {
    expect(filters('config.model in ("resnet", "vit")')).toEqual([
      { field: "config", path: "model", op: "in", value: ["resnet", "vit"] },
    ]);
    expect(filters("summary.epoch IN [1,2, 3]")).toEqual([
      { field: "summary", path: "epoch", op: "in", value: [1, 2, 3] },
    ]);
  });
  it("reads `exists` before or after the key", () => {
    const expected = [{ field: "summary", path: "loss", op: "exists" }];
    expect(filters("exists summary.loss")).toEqual(expected);
    expect(filters("summary.loss EXISTS")).toEqual(expected);
  });
  it("gives no filter for an empty or blank expression", () => {
    expect(filters("")).toEqual([]);
    expect(filters("   ")).toEqual([]);
  });
});

describe("parseFilterExpression: run fields", () => {
  it("reads state with =, != and in, case-insensitively", () => {
    expect(filters("state = running")).toEqual([{ field: "state", op: "eq", value: "running" }]);
    expect(filters("State != 'crashed'")).toEqual([{ field: "state", op: "ne", value: "crashed" }]);
    expect(filters("state in (running, FINISHED)")).toEqual([
      { field: "state", op: "in", value: ["running", "finished"] },
    ]);
  });
  it("reads tags, group, name, jobType and id", () => {
    expect(filters("tags contains foo")).toEqual([{ field: "tags", op: "contains", value: "foo" }]);
    expect(filters("tags = foo")).toEqual([{ field: "tags", op: "contains", value: "foo" }]);
    expect(filters("group = x")).toEqual([{ field: "group", op: "eq", value: "x" }]);
    expect(filters("name contains abc")).toEqual([{ field: "name", op: "contains", value: "abc" }]);
    expect(filters("name ~ abc")).toEqual([{ field: "name", op: "contains", value: "abc" }]);
    expect(filters("jobType = train and jobtype != eval")).toEqual([
      { field: "jobType", op: "eq", value: "train" },
      { field: "jobType", op: "ne", value: "eval" },
    ]);
    expect(filters("group in (a, 'b c')")).toEqual([{ field: "group", op: "in", value: ["a", "b c"] }]);
  });
  it("keeps a text field's value as written, even when it reads as a number", () => {
    expect(filters("id = 007")).toEqual([{ field: "id", op: "eq", value: "007" }]);
    expect(filters("group = true")).toEqual([{ field: "group", op: "eq", value: "true" }]);
  });
});

describe("parseFilterExpression: errors name the problem and its column", () => {
  it("wants an operator after a key", () => {
    const error = failure("config.lr 0.01");
    expect(error.column).toBe(11);
    expect(error.message).toMatch(/expected an operator .* after `config\.lr`, found `0\.01` at column 11/);
    expect(failure("config.lr").message).toMatch(/found the end at column 10/);
  });
  it("rejects `or`, saying that only `and` is supported", () => {
    const error = failure("state = running or state = finished");
    expect(error.message).toMatch(/only `and` is supported/);
    expect(error.column).toBe(17);
    expect(failure("config.a = 1 || config.b = 2").column).toBe(14);
  });
  it("wants a value after an operator, and a complete list", () => {
    expect(failure("config.lr <").message).toMatch(/expected a value after `<`, found the end at column 12/);
    expect(failure("config.lr = and state = running").column).toBe(13);
    expect(failure("config.m in (1, 2").message).toMatch(/expected `,` or `\)` in the list, found the end/);
    expect(failure("config.m in 1").message).toMatch(/expected a list/);
  });
  it("names unknown keys and states", () => {
    expect(failure("lr < 0.01").message).toMatch(/unknown key `lr`; use config.<key>/);
    expect(failure("config. = 1").message).toMatch(/expected a key path after `config\.`/);
    const state = failure("state = done");
    expect(state.message).toMatch(/unknown state `done`; use running, finished/);
    expect(state.column).toBe(7);
  });
  it("rejects operators a field does not take", () => {
    expect(failure("config.name contains x").message).toMatch(/`contains` works on tags/);
    expect(failure("state > running").message).toMatch(/`state` takes =, != or in/);
    expect(failure("name < b").message).toMatch(/`name` takes =, !=, in or contains/);
    expect(failure("exists state").message).toMatch(/`exists` applies to config/);
    expect(failure("config.a > true").message).toMatch(/compares with a number or a string/);
  });
  it("reports lexical problems", () => {
    const unterminated = failure('config.a = "adam');
    expect(unterminated.message).toMatch(/unterminated string starting at column 12/);
    expect(unterminated.column).toBe(12);
    expect(failure("config.a = 1 & config.b = 2").message).toMatch(/unexpected `&` at column 14/);
    expect(failure("config.a = 1 config.b = 2").message).toMatch(
      /expected `and` or the end, found `config\.b`/,
    );
  });
});
