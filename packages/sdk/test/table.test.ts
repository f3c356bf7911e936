/**
 * Table: construction (columns + data or rows), addData, addColumn, fromRecords; cells of every
 * kind; each column's type inferred from its first non-null cell and checked; ragged rows and
 * contradicting cells refused naming the row, the column and the fix, leaving the table as it was.
 */
import { describe, expect, it } from "vitest";
import { Histogram, Image, InvalidDataError, Table } from "../src/index.js";

describe("Table", () => {
  it("holds strings, numbers, booleans, null and nested JSON; infers each column's type from its first non-null cell", () => {
    const table = new Table({
      columns: ["id", "score", "ok", "meta", "note"],
      data: [
        ["a", 0.5, true, { tags: ["x"], depth: { n: 1 } }, null],
        ["b", NaN, false, [1, 2, 3], null],
        ["c", null, null, null, "late"],
      ],
    });
    expect(table.columns).toEqual(["id", "score", "ok", "meta", "note"]);
    expect(table.nrows).toBe(3);
    expect(table.ncols).toBe(5);
    expect(table.columnTypes).toEqual([
      { kind: "string" },
      { kind: "number" },
      { kind: "boolean" },
      { kind: "json" },
      { kind: "string" },
    ]);
    expect(table.data[0]).toEqual(["a", 0.5, true, { tags: ["x"], depth: { n: 1 } }, null]);
    expect(table.data[1]?.[1]).toBeNaN();
  });

  it("copies nested cells when added: changing the caller's object later does not change the table", () => {
    const meta = { n: 1 };
    const table = new Table({ columns: ["meta"], data: [[meta]] });
    meta.n = 2;
    expect(table.data[0]).toEqual([{ n: 1 }]);
  });

  it("undefined becomes null, bigint a number, Date its ISO string; rows may be typed arrays; `rows` is data's old name", () => {
    const table = new Table({ columns: ["a", "b"], rows: [[undefined, 2n], Float32Array.from([1, 2])] });
    table.addData(3, 4);
    expect(table.data).toEqual([
      [null, 2],
      [1, 2],
      [3, 4],
    ]);
    const dated = new Table({ columns: ["when"], data: [[new Date(Date.UTC(2026, 0, 2))]] });
    expect(dated.data[0]).toEqual(["2026-01-02T00:00:00.000Z"]);
  });

  it("a ragged row is refused naming the row, the counts and the fix", () => {
    expect(() => new Table({ columns: ["x", "y"], data: [[1, 2], [3]] })).toThrow(
      /Table: row 1 has 1 cells but the table has 2 columns \(x, y\); give one cell per column \(null for a missing value\)/,
    );
    const table = new Table({ columns: ["x", "y"] });
    expect(() => table.addData(1, 2, 3)).toThrow(InvalidDataError);
    expect(table.nrows).toBe(0);
  });

  it("a cell that contradicts its column's type is refused naming row, column, both types and the fix; the table is unchanged", () => {
    const table = new Table({
      columns: ["label", "score"],
      data: [
        ["cat", 0.9],
        [null, 0.1],
      ],
    });
    expect(() => table.addData(3, 0.5)).toThrow(
      'Table: row 2, column "label" holds a number, but the column holds strings (from row 0). ' +
        "Convert the value to the column's type, put it in a column of its own, or use null for a missing value.",
    );
    expect(table.nrows).toBe(2);
    // A refused row sets no column type: the first cells of a refused row do not type their columns.
    const fresh = new Table({ columns: ["a", "b"] });
    expect(() => fresh.addData("text", { no: "fn" }, 1)).toThrow(InvalidDataError);
    expect(() => fresh.addData(true, () => 1)).toThrow(/row 0, column "b"/);
    expect(fresh.columnTypes).toEqual([null, null]);
    fresh.addData(1, 2);
    expect(fresh.columnTypes).toEqual([{ kind: "number" }, { kind: "number" }]);
    expect(() => new Table({ columns: ["j"], data: [[{ a: 1 }], ["s"]] })).toThrow(
      /column "j" holds a string, but the column holds nested JSON/,
    );
  });

  it("addColumn: one value per row, typed like any column; on an empty table it makes the rows", () => {
    const table = new Table();
    table.addColumn("x", [1, 2, 3]);
    table.addColumn("y", ["a", null, "c"]);
    expect(table.data).toEqual([
      [1, "a"],
      [2, null],
      [3, "c"],
    ]);
    expect(() => table.addColumn("z", [1, 2])).toThrow(/Table.addColumn\("z"\): got 2 values for 3 rows/);
    expect(() => table.addColumn("x", [1, 2, 3])).toThrow(/the column "x" is named twice/);
    expect(() => table.addColumn("w", [1, "2", 3])).toThrow(
      /row 1, column "w" holds a string, but the column holds numbers/,
    );
    expect(table.columns).toEqual(["x", "y"]);
    expect(table.getColumn("y")).toEqual(["a", null, "c"]);
  });

  it("fromRecords: columns are the keys in first-seen order, a missing key is null", () => {
    const table = Table.fromRecords([
      { a: 1, b: "x" },
      { b: "y", c: true },
    ]);
    expect(table.columns).toEqual(["a", "b", "c"]);
    expect(table.data).toEqual([
      [1, "x", null],
      [null, "y", true],
    ]);
    expect(() => Table.fromRecords([{ a: 1 }, [2] as unknown as Record<string, unknown>])).toThrow(
      /record 1 is not a plain object/,
    );
  });

  it("column names: unique, 1–1,024 characters; numbers are taken as strings; data and rows not both", () => {
    expect(new Table({ columns: [0, "1"] }).columns).toEqual(["0", "1"]);
    expect(() => new Table({ columns: ["a", "a"] })).toThrow(/"a" is named twice/);
    expect(() => new Table({ columns: [""] })).toThrow(/is empty/);
    expect(() => new Table({ columns: ["a"], data: [[1]], rows: [[1]] })).toThrow(/not both/);
    expect(() => new Table({ columns: ["a"], data: [1] as unknown as number[][] })).toThrow(
      /row 0 is not an array/,
    );
  });

  it("a Histogram cell is nested JSON (its W&B JSON); a media cell types its column by the media's _type", () => {
    const table = new Table({
      columns: ["h", "img"],
      data: [[Histogram.fromCounts([1, 2], [0, 1, 2]), null]],
    });
    expect(table.data[0]).toEqual([{ _type: "histogram", values: [1, 2], bins: [0, 1, 2] }, null]);
    const image = new Image([
      [0, 255],
      [255, 0],
    ]);
    table.addData(null, image);
    expect(table.columnTypes).toEqual([{ kind: "json" }, { kind: "media", mediaType: "image-file" }]);
    expect(() => table.addData(null, "a path")).toThrow(
      /row 2, column "img" holds a string, but the column holds image-file media \(from row 1\)/,
    );
    expect(() => table.addData(image, null)).toThrow(
      /row 2, column "h" holds an image-file media object, but the column holds nested JSON/,
    );
  });
});
