/** The table filter language: precedence, values, quoting, and errors with their column. */
import { describe, expect, test } from "vitest";
import { parseTableFilter, tableFilterColumns } from "../src/table-filter.js";

describe("parseTableFilter", () => {
  test("and binds tighter than or; not and parentheses", () => {
    expect(parseTableFilter("a = 1 or b = 2 and not (c < 3 or d >= 4)")).toEqual({
      ok: true,
      filter: {
        op: "or",
        args: [
          { op: "cmp", column: "a", cmp: "eq", value: 1 },
          {
            op: "and",
            args: [
              { op: "cmp", column: "b", cmp: "eq", value: 2 },
              {
                op: "not",
                arg: {
                  op: "or",
                  args: [
                    { op: "cmp", column: "c", cmp: "lt", value: 3 },
                    { op: "cmp", column: "d", cmp: "gte", value: 4 },
                  ],
                },
              },
            ],
          },
        ],
      },
    });
  });

  test("values: numbers, quoted and bare strings, literals; backquoted column names", () => {
    const parsed = parseTableFilter(
      '`val loss` <= -1.5e-3 AND label IN ("cat", \'d"og\', bird, null) and ok == TRUE and x <> false and n is not null and caption contains "a\\"b"',
    );
    expect(parsed).toEqual({
      ok: true,
      filter: {
        op: "and",
        args: [
          { op: "cmp", column: "val loss", cmp: "lte", value: -0.0015 },
          { op: "in", column: "label", values: ["cat", 'd"og', "bird", null] },
          { op: "cmp", column: "ok", cmp: "eq", value: true },
          { op: "cmp", column: "x", cmp: "ne", value: false },
          { op: "isNull", column: "n", negate: true },
          { op: "contains", column: "caption", value: 'a"b' },
        ],
      },
    });
    expect(parsed.ok && tableFilterColumns(parsed.filter)).toEqual([
      "val loss",
      "label",
      "ok",
      "x",
      "n",
      "caption",
    ]);
    expect(parseTableFilter("train/loss < 1 and a.b = 2").ok).toBe(true);
    expect(parseTableFilter("`a``b` = 1")).toEqual({
      ok: true,
      filter: { op: "cmp", column: "a`b", cmp: "eq", value: 1 },
    });
  });

  test("an empty expression is no filter", () => {
    expect(parseTableFilter("   ")).toEqual({ ok: true, filter: null });
  });

  test("errors name what was expected and the 1-based column", () => {
    const problem = (text: string): string => {
      const parsed = parseTableFilter(text);
      return parsed.ok ? "parsed" : `${parsed.column}: ${parsed.message}`;
    };
    expect(problem("score >")).toBe("8: expected a value, found `end of expression`");
    expect(problem("a ! 1")).toBe("3: unknown operator `!`; use != or contains");
    expect(problem("a = 1 b = 2")).toBe("7: expected `and`, `or` or the end, found `b`");
    expect(problem('a = "open')).toBe('5: unterminated " quote');
    expect(problem("a is 3")).toBe("6: expected `null` after `is`");
    expect(problem("(a = 1")).toBe("7: expected `)`, found `end of expression`");
    expect(problem("a in 1")).toBe("6: expected `(`, found `1`");
    expect(problem("= 1")).toBe("1: expected a column name, found `=`");
    expect(problem(`${"(".repeat(32)}a = 1${")".repeat(32)}`)).toBe("parsed");
    expect(problem(`${"(".repeat(33)}a = 1${")".repeat(33)}`)).toBe(
      "33: nested more than 32 deep (parentheses and `not`)",
    );
    expect(problem(`${"not ".repeat(33)}a = 1`)).toBe(
      "129: nested more than 32 deep (parentheses and `not`)",
    );
    expect(problem(Array.from({ length: 256 }, () => "a = 1").join(" or "))).toBe("parsed");
    expect(problem(Array.from({ length: 257 }, () => "a = 1").join(" or "))).toBe(
      "2305: more than 256 comparisons; split the filter",
    );
  });
});
