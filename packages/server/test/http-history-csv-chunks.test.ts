/**
 * The server's CSV rendering of a history (`format=csv`), NDJSON bytes in, CSV out, compared with
 * what parsing every row gives (the columns in first-seen order with `_step` first and
 * `_runtime`/`_timestamp` last, each cell `encodeCsvField` of the parsed value): rows with the
 * same names as the one before (whose cells are reused), names in another order, missing keys,
 * rows that must be parsed (namespaces, `_type`, arrays, escapes) between flat ones, strings,
 * NaN/±Infinity, null and numbers in spellings JavaScript does not write.
 */
import { describe, expect, it } from "vitest";
import { encodeCsvField, parseExtended, quoteCsvText, stringifyExtended } from "@stepwise/protocol";
import { csvChunks } from "../src/http/history/csv-chunks.js";
import { forEachLeaf, orderColumns } from "../src/http/history/flat-row.js";

/** The rows as the store hands a whole history out: NDJSON byte pages of `pageRows` rows. */
async function rendered(texts: string[], pageRows: number): Promise<string> {
  const scan = (): AsyncIterable<Uint8Array> => ({
    async *[Symbol.asyncIterator]() {
      for (let at = 0; at < texts.length; at += pageRows) {
        await Promise.resolve();
        yield Buffer.from(texts.slice(at, at + pageRows).join("\n") + "\n");
      }
    },
  });
  const chunks: Uint8Array[] = [];
  for await (const chunk of csvChunks(scan)) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

function expected(texts: string[]): string {
  const rows = texts.map((text) => {
    const leaves = new Map<string, unknown>();
    forEachLeaf(parseExtended(text), (name, value) => leaves.set(name, value));
    return leaves;
  });
  const columns = orderColumns(rows.flatMap((row) => [...row.keys()]));
  const lines = rows.map((row) =>
    columns.map((name) => (row.has(name) ? encodeCsvField(row.get(name)) : "")).join(","),
  );
  return [columns.map(quoteCsvText).join(","), ...lines].join("\n") + "\n";
}

const row = (step: number, values: Record<string, unknown>): string =>
  stringifyExtended({ _step: step, ...values, _runtime: step / 10, _timestamp: 1.7e9 + step });

const TEXTS = [
  row(0, { loss: 1, acc: 0.5 }),
  row(1, { loss: Number.NaN, acc: Infinity }),
  row(2, { loss: -Infinity, acc: -0 }),
  row(3, { acc: 0.25, loss: 0.125 }), // the same names in another order
  row(4, { loss: 2 }), // acc missing
  row(5, { loss: 3 }),
  row(6, { loss: 4, acc: 1, note: "a, b", quote: 'say "hi"' }), // new columns
  row(7, { loss: 5, acc: 2, note: "plain", quote: null }),
  row(8, { train: { loss: 1, acc: 2 }, loss: 6 }), // parsed: a namespace
  row(9, { loss: 7, acc: 3, note: "after a parsed row", quote: "q" }),
  row(10, { img: { _type: "image-file", path: "a.png" }, loss: 8 }),
  row(11, { loss: 9 }),
  row(12, { v: [1, 2], line: "x\ny" }),
  row(12.5, { loss: "é, ü", acc: "日本" }), // non-ASCII strings copied as bytes, one quoted
  '{"_step":12.75,"loss":-Infinity,"acc":-0,"note":"","quote":1e-7}',
  row(13, { loss: 10, acc: 4, note: "n", quote: "q" }),
  '{"_step":14,"loss":1.0,"acc":1E5,"note":"x","quote":-0.0}',
  '{"_step":15,"loss":1.0,"acc":1E5,"note":"y","quote":0.50}',
  '{"_step":16,"a":1,"b":2,"a":3}',
  '{"_step":17,"a":4,"b":5,"a":6}',
  "{}",
  "{}",
  row(20, { loss: true, acc: false }),
  row(21, { loss: true, acc: false }),
  // A parsed row whose first members a flat row after it repeats, then a new first column.
  '{"_step":22,"z1":1,"ns":{"x":1}}',
  '{"_step":23,"z1":2}',
  '{"_step":24,"z1":3}',
];

describe("csvChunks", () => {
  it.each([1, 2, 3, 7, 100])("renders every row as parsing it would (%i rows a page)", async (pageRows) => {
    expect(await rendered(TEXTS, pageRows)).toBe(expected(TEXTS));
  });

  it("renders rows in random key orders and with random missing keys as parsing them would", async () => {
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const names = ["a", "b", "c", "d", "e"];
    const values = [1, 0.1, -2.5, Number.NaN, Infinity, -Infinity, "s", "t,u", true, null, 1e21, 5e-324];
    const texts: string[] = [];
    for (let step = 0; step < 2000; step++) {
      const member: Record<string, unknown> = { _step: step };
      const keep = random() < 0.3 ? names.filter(() => random() < 0.7) : names.slice(0, 3);
      const order = random() < 0.1 ? [...keep].reverse() : keep;
      for (const name of order) member[name] = values[Math.floor(random() * values.length)];
      texts.push(stringifyExtended(member));
    }
    expect(await rendered(texts, 64)).toBe(expected(texts));
  });
});
