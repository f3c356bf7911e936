/**
 * Pure rules of the structured values: the table file reader fed in pieces cut anywhere, column
 * typing, histogram edges, the spread of bins onto a grid, and preset rendering.
 */
import { describe, expect, test } from "vitest";
import { stringifyExtended, type ChartPreset } from "@stepwise/protocol";
import { ColumnTyping, columnNames } from "../src/domain/tables/column-typing.js";
import { TableFileError, TableJsonReader } from "../src/domain/tables/table-json-reader.js";
import { hasEvenEdges, readHistogramValue } from "../src/domain/histograms/histogram-value.js";
import { spread, yGrid } from "../src/domain/histograms/heatmap.js";
import { builtinPreset } from "../src/domain/presets/builtin-presets.js";
import { renderPreset } from "../src/domain/presets/render-preset.js";

function read(pieces: string[]): { columns: unknown[]; rows: unknown[][] } {
  const out = { columns: [] as unknown[], rows: [] as unknown[][] };
  const reader = new TableJsonReader({ columns: (c) => (out.columns = c), row: (r) => out.rows.push(r) });
  for (const piece of pieces) reader.feed(piece);
  reader.end();
  return out;
}

describe("TableJsonReader", () => {
  const rows = [
    ['a ] , [ " \\ {', 1.5, true, null],
    [{ x: [1, { y: "]" }] }, Number.NaN, false, "é😀"],
    [[], -Infinity, null, "last"],
  ];
  const text = ` { "log_mode" : "IMMUTABLE", "columns" : ["s", "n", "b", "x"],\n "data" : [ ${rows.map((r) => stringifyExtended(r)).join(" ,\n ")} ] , "ncols": 4 } `;

  test("gives the same rows whatever the pieces, one character at a time included", () => {
    const whole = read([text]);
    expect(whole).toEqual({ columns: ["s", "n", "b", "x"], rows });
    for (const size of [1, 2, 3, 7, 64]) {
      const pieces: string[] = [];
      for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
      expect(read(pieces)).toEqual(whole);
    }
  });

  test("data before columns, and no rows", () => {
    expect(read(['{"data":[[1]],"columns":["a"]}'])).toEqual({ columns: ["a"], rows: [[1]] });
    expect(read(['{"columns":["a"],"data":[]}'])).toEqual({ columns: ["a"], rows: [] });
  });

  test("refuses what is not a table, naming the place", () => {
    const bad: Array<[string, string]> = [
      ["[1]", "a table file is a JSON object"],
      ['{"columns":["a"]}', 'no "data"'],
      ['{"data":[]}', 'no "columns"'],
      ['{"columns":["a"],"data":[[1],[2,]]}', "row 1 of the table file is not valid JSON"],
      ['{"columns":["a"],"data":[1]}', 'row 0 of "data" is not a list'],
      ['{"columns":["a"],"data":[[1]]', "ends before its closing"],
      ['{"columns":"a","data":[]}', '"columns" is not a list'],
    ];
    for (const [input, message] of bad)
      expect(() => read([input])).toThrow(new TableFileError(message).constructor);
    for (const [input, message] of bad) expect(() => read([input])).toThrow(message);
  });
});

describe("column typing", () => {
  test("one kind, nulls fitting any, media with their type, mixed", () => {
    const type = (cells: unknown[]) => {
      const t = new ColumnTyping("c");
      cells.forEach((c) => t.add(c));
      return t.column();
    };
    expect(type([1, null, 2.5])).toEqual({ name: "c", type: "number" });
    expect(type([null])).toEqual({ name: "c", type: "null" });
    expect(type([{ _type: "image-file" }, null])).toEqual({
      name: "c",
      type: "media",
      mediaType: "image-file",
    });
    expect(type([{ _type: "image-file" }, { _type: "audio-file" }])).toEqual({ name: "c", type: "media" });
    expect(type([[1], { a: 1 }])).toEqual({ name: "c", type: "json" });
    expect(type(["a", 1])).toEqual({ name: "c", type: "mixed" });
    expect(columnNames(["a", "a", 3, null, ""])).toEqual(["a", "a_2", "3", "column_3", "column_4"]);
  });
});

describe("histograms", () => {
  test("values are checked: bins one longer than counts, ascending, finite; NaN counts count nothing", () => {
    expect(
      readHistogramValue({ _type: "histogram", values: [1, Number.NaN], bins: [0, 1, 2] })?.counts,
    ).toEqual(new Float64Array([1, 0]));
    expect(readHistogramValue({ _type: "histogram", values: [1, 2], bins: [0, 1] })).toBeNull();
    expect(readHistogramValue({ _type: "histogram", values: [1, 2], bins: [0, 2, 1] })).toBeNull();
    expect(readHistogramValue({ _type: "histogram", values: [1], bins: [0, Infinity] })).toBeNull();
    expect(hasEvenEdges(new Float64Array([0, 0.1, 0.2, 0.30000000000000004]))).toBe(true);
    expect(hasEvenEdges(new Float64Array([0, 1, 3]))).toBe(false);
  });

  test("a bin's count is spread over the grid rows in proportion to the overlap", () => {
    const grid = yGrid(
      [{ step: 0, x: 0, edges: new Float64Array([0, 4]), counts: new Float64Array([1]) }],
      4,
    );
    expect(Array.from(grid)).toEqual([0, 1, 2, 3, 4]);
    const sums = new Float64Array(4);
    spread(new Float64Array([0.5, 2.5, 2.5, 4]), new Float64Array([4, 7, 3]), grid, sums);
    // [0.5, 2.5) = 4: 1 in row 0, 2 in row 1, 1 in row 2; the empty-width bin [2.5, 2.5) puts 7 in row 2; [2.5, 4) = 3: 1, 1, 1.
    expect(Array.from(sums)).toEqual([1, 2, 1 + 7 + 1, 2]);
  });
});

describe("renderPreset", () => {
  const line = builtinPreset("stepwise/line/v0") as ChartPreset;

  test("fills fields and strings, drops an unbound optional channel, escapes dotted names", () => {
    const spec = renderPreset(line, { fields: { x: "a.b", y: "c[0]" }, stringFields: { title: "T" } });
    expect(spec.title).toBe("T");
    expect(spec.encoding).toEqual({
      x: { field: "a\\.b", type: "quantitative" },
      y: { field: "c\\[0\\]", type: "quantitative" },
    });
  });

  test("refuses a missing required field, an unknown slot and a column the table lacks", () => {
    expect(() => renderPreset(line, { fields: { x: "a" }, stringFields: {} })).toThrow("fields.y");
    expect(() => renderPreset(line, { fields: { x: "a", y: "b", q: "c" }, stringFields: {} })).toThrow(
      "fields.q",
    );
    expect(() => renderPreset(line, { fields: { x: "a", y: "b" }, stringFields: { nope: "" } })).toThrow(
      "stringFields.nope",
    );
    expect(() => renderPreset(line, { fields: { x: "a", y: "zz" }, stringFields: {} }, ["a", "b"])).toThrow(
      'fields.y: the table has no column "zz"',
    );
  });
});
