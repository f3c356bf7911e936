/**
 * The columns noted at ingest from packed rows (ingest/history-columns.ts: key ids for rows of
 * numbers, the formatted text for any other) are the columns the exports' first pass finds in
 * the rows' stored text: random rows over keys JavaScript enumerates first, `_type`, dotted and
 * quoted names, `__proto__`, and values of every kind (numbers with NaN and -0, null, strings,
 * namespaces, arrays), in batches of several rows, under small and wide key ids.
 */
import { describe, expect, it } from "vitest";
import {
  formatPackedRow,
  keyPrefixes,
  PackedRowsBuilder,
  readPackedRows,
  type PackedRows,
} from "@stepwise/protocol";
import { PackedColumnNotes } from "../src/ingest/history-columns.js";
import { HistoryColumnSet } from "../src/store/history-columns.js";
import { logRow } from "./support/log-rows.js";

const KEYS = ["_step", "loss", "acc", "a.b", "7", "0", "_type", "__proto__", 'say "x"', "lr", "_runtime"];
const JSON_VALUES = [
  "null",
  '"text"',
  "true",
  '{"x":1,"y":{"z":null}}',
  "[1,2]",
  '{"_type":"image-file"}',
  "3",
];

/** A deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A batch of `rows` rows, each a random subset of `keys` (ids `base + index`) in random order. */
function batch(
  next: () => number,
  keys: string[],
  rows: number,
  base: number,
  numbersOnly: number,
): PackedRows {
  const builder = new PackedRowsBuilder();
  for (let r = 0; r < rows; r++) {
    const picked = keys.map((_, k) => k).filter(() => next() < 0.6);
    picked.sort(() => next() - 0.5);
    const entries = picked.map((k): [number, number | string] => {
      if (next() < numbersOnly) return [base + k, [Number.NaN, -0, 1e21, 0.1][Math.floor(next() * 4)] ?? 0];
      return [base + k, JSON_VALUES[Math.floor(next() * JSON_VALUES.length)] as string];
    });
    builder.addRaw(logRow(entries), (id) => keys[id - base] as string);
  }
  return readPackedRows(builder.build());
}

/** The columns the exports' first pass finds in the rows' text (as the store formats packed rows). */
function fromText(batches: PackedRows[]): HistoryColumnSet {
  const set = new HistoryColumnSet();
  for (const rows of batches) {
    const prefixes = keyPrefixes(rows);
    for (let r = 0; r < rows.rowStarts.length; r++) {
      const text = Buffer.from(formatPackedRow(rows, r, prefixes));
      set.row(text, 0, text.length);
    }
  }
  return set;
}

describe("history columns noted from packed rows", () => {
  it.each([
    [1, 1, 0.95],
    [2, 1 << 20, 0.95], // wide ids
    [3, 1, 0.5],
    [4, 1, 1], // numbers only: most rows by key ids
    [5, (2 ** 31) >>> 0, 1],
  ])("are the columns the rows' text gives (seed %i, ids from %i)", (seed, base, numbersOnly) => {
    const next = random(seed);
    const batches = Array.from({ length: 6 }, () => batch(next, KEYS, 40, base, numbersOnly));
    const noted = new HistoryColumnSet();
    let at = 0;
    for (const rows of batches) {
      const notes = new PackedColumnNotes(noted, rows);
      for (let r = 0; r < rows.rowStarts.length; r++) notes.row(r, at++);
    }
    const { names, kinds } = fromText(batches).kept();
    expect(noted.kept()).toMatchObject({ names, kinds });
    expect(noted.kept().dense).toBe(false); // rows lack keys
  });

  it("is dense while every row holds every key as a number and a usable _step", () => {
    const keys = ["loss", "_step", "acc"];
    const rows = (steps: number[], withAcc = true): PackedRows => {
      const builder = new PackedRowsBuilder();
      for (const step of steps)
        builder.addRaw(
          logRow(
            withAcc
              ? [
                  [1, 0.5],
                  [2, step],
                  [3, 1],
                ]
              : [
                  [1, 0.5],
                  [2, step],
                ],
          ),
          (id) => keys[id - 1] as string,
        );
      return readPackedRows(builder.build());
    };
    const note = (set: HistoryColumnSet, batch: PackedRows, first: number): HistoryColumnSet => {
      const notes = new PackedColumnNotes(set, batch);
      for (let r = 0; r < batch.rowStarts.length; r++) notes.row(r, first + r);
      return set;
    };
    expect(note(new HistoryColumnSet(), rows([0, 1, 2]), 0).dense).toBe(true);
    expect(note(note(new HistoryColumnSet(), rows([0, 1]), 0), rows([5, 5]), 2).dense).toBe(true);
    expect(note(new HistoryColumnSet(), rows([0, 1.5]), 0).dense).toBe(false); // not a step
    expect(note(new HistoryColumnSet(), rows([0, -1]), 0).dense).toBe(false);
    expect(note(note(new HistoryColumnSet(), rows([0]), 0), rows([1], false), 1).dense).toBe(false);
    expect(note(note(new HistoryColumnSet(), rows([0], false), 0), rows([1]), 1).dense).toBe(false);
  });
});
