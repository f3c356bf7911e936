import { describe, expect, it } from "vitest";
import {
  encodePackedIngest,
  formatPackedRow,
  keyPrefixes,
  PackedRowsBuilder,
  readPackedRows,
  splitPackedIngest,
  stringifyExtended,
  TAG_NUMBER,
} from "../src/index.js";

/** A row in the run log's binary layout (entry count, then id | tag | f64 entries). */
function rawRow(entries: Array<[number, number]>): Uint8Array {
  const out = new Uint8Array(4 + entries.length * 13);
  const view = new DataView(out.buffer);
  view.setUint32(0, entries.length, true);
  entries.forEach(([id, value], i) => {
    view.setUint32(4 + i * 13, id, true);
    out[8 + i * 13] = TAG_NUMBER;
    view.setFloat64(9 + i * 13, value, true);
  });
  return out;
}

function format(bytes: Uint8Array): string[] {
  const rows = readPackedRows(bytes);
  const prefixes = keyPrefixes(rows);
  return Array.from({ length: rows.rowStarts.length }, (_, r) => formatPackedRow(rows, r, prefixes));
}

describe("packed rows", () => {
  it("format back to the extended JSON of the rows they were built from, keys in order", () => {
    const rows = [
      {
        _step: 0,
        loss: 0.1 + 0.2,
        "val/acc": Number.NaN,
        note: 'say "hi" ☃',
        img: { _type: "image-file", w: 8 },
      },
      { _step: 1, loss: Number.NEGATIVE_INFINITY, list: [1, null, Number.POSITIVE_INFINITY], flag: false },
    ];
    const builder = new PackedRowsBuilder();
    for (const row of rows) builder.addObject(row, stringifyExtended);
    const bytes = builder.build();
    expect(bytes.length).toBe(builder.byteLength);
    expect(format(bytes)).toEqual(rows.map((row) => stringifyExtended(row)));
  });

  it("copy raw log rows as they are and list only the keys they use", () => {
    const keys = ["_step", "loss", "unused"];
    const builder = new PackedRowsBuilder();
    builder.addRaw(
      rawRow([
        [0, 7],
        [1, 0.5],
      ]),
      (id) => keys[id] as string,
    );
    const rows = readPackedRows(builder.build());
    expect([...rows.keys]).toEqual([
      [0, "_step"],
      [1, "loss"],
    ]);
    expect(formatPackedRow(rows, 0, keyPrefixes(rows))).toBe('{"_step":7,"loss":0.5}');
  });

  it("refuse damaged input with the problem named", () => {
    const keys = ["a"];
    const good = new PackedRowsBuilder();
    good.addRaw(rawRow([[0, 1]]), (id) => keys[id] as string);
    const bytes = good.build();
    expect(() => readPackedRows(bytes.subarray(0, bytes.length - 3))).toThrow(/runs past the end/);
    expect(() => readPackedRows(new Uint8Array([...bytes, 0]))).toThrow(/1 bytes after the last row/);
    const unknownKey = bytes.slice();
    new DataView(unknownKey.buffer).setUint32(bytes.length - 13, 9, true);
    expect(() => readPackedRows(unknownKey)).toThrow(/key id 9, which the key table does not define/);
    const badTag = bytes.slice();
    badTag[bytes.length - 9] = 7;
    expect(() => readPackedRows(badTag)).toThrow(/unknown value tag 7/);

    const twice = new PackedRowsBuilder();
    twice.addRaw(
      rawRow([
        [0, 1],
        [0, 2],
      ]),
      (id) => keys[id] as string,
    );
    expect(() => readPackedRows(twice.build())).toThrow(/holds key `a` twice/);
    const empty = new PackedRowsBuilder();
    empty.addObject({ "": 1 }, stringifyExtended);
    expect(() => readPackedRows(empty.build())).toThrow(/must be 1–1024 characters/);
    const nul = new PackedRowsBuilder();
    nul.addObject({ "a\u0000b": 1 }, stringifyExtended);
    expect(() => readPackedRows(nul.build())).toThrow(/key 0 holds U\+0000/);
    expect(() => readPackedRows(new Uint8Array(2))).toThrow(/truncated at byte 0/);
  });
});

describe("packed ingest body", () => {
  it("carries the batch header and the packed rows", () => {
    const builder = new PackedRowsBuilder();
    builder.addObject({ _step: 3, x: Number.NaN }, stringifyExtended);
    const packed = builder.build();
    const body = encodePackedIngest({ summary: { x: Number.NaN } }, { offset: 3, packed });
    const { header, packed: rows } = splitPackedIngest(body);
    expect(header).toEqual({ batch: { summary: { x: Number.NaN } }, historyOffset: 3 });
    expect(format(rows)).toEqual(['{"_step":3,"x":NaN}']);
  });

  it("refuses a body without its magic or with a header past the end", () => {
    expect(() => splitPackedIngest(new TextEncoder().encode('{"batch":{}}'))).toThrow(/starts with "SWB1"/);
    const body = encodePackedIngest({}, null);
    expect(() => splitPackedIngest(body.subarray(0, body.length - 1))).toThrow(/runs past the end/);
  });
});
