/**
 * The server's Parquet rendering of a history (`format=parquet`), NDJSON bytes in, read back with
 * hyparquet and compared with parsing every row: each column's type from all its values (numbers
 * → DOUBLE with NaN, ±Infinity and -0 kept; booleans → BOOLEAN; anything else → STRING, objects
 * as extended JSON), a missing key or a null in a DOUBLE/BOOLEAN column read back as null, rows
 * that must be parsed (namespaces, `_type`, arrays, escapes) between flat ones, row groups split
 * across pages, numbers in spellings JavaScript does not write.
 */
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { describe, expect, it } from "vitest";
import { parseExtended, stringifyExtended } from "@stepwise/protocol";
import { forEachLeaf, orderColumns } from "../src/http/history/flat-row.js";
import { parquetStream } from "../src/http/history/parquet-stream.js";

async function written(texts: string[], pageRows: number): Promise<ArrayBuffer> {
  const scan = (): AsyncIterable<Uint8Array> => ({
    async *[Symbol.asyncIterator]() {
      for (let at = 0; at < texts.length; at += pageRows) {
        await Promise.resolve();
        yield Buffer.from(texts.slice(at, at + pageRows).join("\n") + "\n");
      }
    },
  });
  const bytes = Buffer.from(await new Response(parquetStream(scan)).arrayBuffer());
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}

/** Each row's leaves as the writer should give them back, column by column. */
function expected(texts: string[]): Array<Record<string, unknown>> {
  const rows = texts.map((text) => {
    const leaves = new Map<string, unknown>();
    forEachLeaf(parseExtended(text), (name, value) => leaves.set(name, value));
    return leaves;
  });
  const columns = orderColumns(rows.flatMap((row) => [...row.keys()]));
  const kind = (value: unknown): string => (value === null ? "none" : typeof value);
  const strings = new Set(
    columns.filter((name) => {
      const kinds = new Set(
        rows.map((row) => kind(row.get(name))).filter((k) => k !== "none" && k !== "undefined"),
      );
      return kinds.size > 1 || (kinds.size === 1 && !kinds.has("number") && !kinds.has("boolean"));
    }),
  );
  return rows.map((row) =>
    Object.fromEntries(
      columns.map((name) => {
        const value = row.get(name);
        if (value === undefined) return [name, null];
        if (strings.has(name) && typeof value !== "string") return [name, stringifyExtended(value)];
        return [name, value];
      }),
    ),
  );
}

const row = (step: number, values: Record<string, unknown>): string =>
  stringifyExtended({ _step: step, ...values, _runtime: step / 10, _timestamp: 1.7e9 + step });

const TEXTS = [
  row(0, { loss: 1, acc: 0.5, ok: true, note: "a, b" }),
  row(1, { loss: Number.NaN, acc: Infinity, ok: false, note: 3 }),
  row(2, { loss: -Infinity, acc: -0, ok: null, note: null }),
  row(3, { acc: 0.25, loss: 0.125 }), // the same names in another order
  row(4, { loss: 2 }), // acc missing
  row(5, { loss: null, acc: 1e21, note: true }),
  row(6, { train: { loss: 1, acc: 2 }, loss: 6 }), // parsed: a namespace
  row(7, { img: { _type: "image-file", path: "a.png" }, loss: 8, note: "é" }),
  row(8, { v: [1, 2], note: 'say "hi"\n' }),
  '{"_step":9,"loss":1.0,"acc":1E5,"note":"x","tiny":-0.0}',
  '{"_step":10,"loss":0.50,"acc":5e-324,"a":1,"a":2}',
  "{}",
  row(12, { loss: 123456789012345.6, acc: 0.30000000000000004, tiny: 1e-7 }),
];

describe("parquetStream", () => {
  it.each([1, 3, 100])(
    "writes every value as parsing the rows gives it (%i rows a page)",
    async (pageRows) => {
      const file = await written(TEXTS, pageRows);
      expect(await parquetReadObjects({ file })).toEqual(expected(TEXTS));
    },
  );

  it("writes random rows in row groups of 50,000 exactly, a missing key as null", async () => {
    let seed = 11;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const special = [Number.NaN, Infinity, -Infinity, -0, null];
    const texts: string[] = [];
    for (let step = 0; step < 100_003; step++) {
      const member: Record<string, unknown> = { _step: step };
      for (const name of ["a", "b", "c"]) {
        const x = random();
        if (x < 0.02) continue; // missing
        member[name] =
          x < 0.04
            ? special[Math.floor(random() * special.length)]
            : x * 10 ** Math.round(random() * 40 - 20);
      }
      member.d = Math.round(random() * 1e6) / 1000;
      texts.push(stringifyExtended(member));
    }
    const file = await written(texts, 7_000);
    expect(parquetMetadata(file).row_groups.map((group) => Number(group.num_rows))).toEqual([
      50_000, 50_000, 3,
    ]);
    expect(await parquetReadObjects({ file })).toEqual(expected(texts));
  });

  it("writes a history without rows as a valid file with its _step column", async () => {
    const file = await written([], 1);
    expect(parquetMetadata(file).schema.map((element) => element.name)).toEqual(["root", "_step"]);
    expect(await parquetReadObjects({ file })).toEqual([]);
  });
});
