/**
 * CSV and Parquet exports of a whole history read it once when the store kept the run's columns
 * at ingest (SQLite: `history_columns`), and give the same bytes as the two-pass export of a run
 * without them (a run stored before the table: its row deleted here). The run is logged in JSON
 * and packed batches (rows packed from objects, and rows in the run log's layout with small key
 * ids), with keys appearing late, keys only ever null, keys changing kind, namespaces, keys
 * JavaScript enumerates first, `_type` values, arrays and strings; the CSV is also compared with
 * parsing every exported row.
 */
import Database from "better-sqlite3";
import { join } from "node:path";
import { parquetReadObjects } from "hyparquet";
import { describe, expect, it, vi } from "vitest";
import {
  apiPaths,
  encodeCsvField,
  encodePackedIngest,
  PACKED_INGEST_CONTENT_TYPE,
  PackedRowsBuilder,
  parseExtended,
  quoteCsvText,
  stringifyExtended,
  type HistoryRow,
  type RunRef,
} from "@stepwise/protocol";
import { forEachLeaf, orderColumns } from "../src/http/history/flat-row.js";
import { startTestServer, type TestServer } from "./http-harness.js";
import { logRow } from "./support/log-rows.js";

const ref: RunRef = { entity: "e", project: "p", runId: "one-pass" };

async function postPacked(t: TestServer, offset: number, build: (b: PackedRowsBuilder) => void) {
  const builder = new PackedRowsBuilder();
  build(builder);
  const response = await t.fetch(apiPaths.ingest(ref), {
    method: "POST",
    headers: { "content-type": PACKED_INGEST_CONTENT_TYPE },
    body: encodePackedIngest({}, { offset, packed: builder.build() }),
  });
  expect(response.status).toBe(200);
}

async function postJson(t: TestServer, offset: number, rows: HistoryRow[]) {
  expect((await t.ingest(ref, { history: { offset, rows } })).status).toBe(200);
}

/** Logs 14 rows in four batches; returns how many. */
async function logRun(t: TestServer): Promise<number> {
  await postPacked(t, 0, (b) => {
    b.addObject({ _step: 0, loss: 1, "a.b": 2, empty: null }, stringifyExtended);
    b.addObject({ _step: 1, loss: Number.NaN, late: -0 }, stringifyExtended);
    b.addObject({ _step: 2, loss: Infinity, ok: true, nested: { x: 1, y: null } }, stringifyExtended);
  });
  await postJson(t, 3, [
    { _step: 3, loss: 0.5, acc: 0.25, _runtime: 1, _timestamp: 1.7e9 },
    { _step: 4, loss: "diverged, again", acc: null, 7: 1, b: 2 }, // loss becomes a string
    { _step: 5, ok: 1, img: { _type: "image-file", path: "a.png" }, v: [1, 2] }, // ok: boolean → number
    { _step: 6, nested: { x: "s", z: false }, never: null },
  ]);
  const keys: Record<number, string> = { 1: "_step", 2: "loss", 3: "9", 4: "lr", 5: "cfg", 6: "_type" };
  const keyOf = (id: number): string => keys[id] as string;
  await postPacked(t, 7, (b) => {
    b.addRaw(
      logRow([
        [2, 0.125],
        [4, 1e-7],
        [1, 7],
      ]),
      keyOf,
    ); // lr appears late, _step last
    b.addRaw(
      logRow([
        [2, 0.0625],
        [4, 2e-7],
        [1, 8],
      ]),
      keyOf,
    );
    b.addRaw(
      logRow([
        [3, 3],
        [2, 1],
        [1, 9],
      ]),
      keyOf,
    ); // "9" is enumerated first by JSON.parse
    b.addRaw(
      logRow([
        [5, '{"depth":2,"name":"n"}'],
        [1, 10],
      ]),
      keyOf,
    ); // a namespace in JSON
    b.addRaw(
      logRow([
        [6, '"x"'],
        [2, 3],
        [1, 11],
      ]),
      keyOf,
    ); // `_type`: a value, no columns
  });
  await postJson(t, 12, [
    { _step: 12, lr: null, loss: 2 },
    { _step: 13, fresh: "last row" },
  ]);
  return 14;
}

async function exported(t: TestServer, format: "csv" | "parquet"): Promise<Buffer> {
  const response = await t.fetch(`${apiPaths.history(ref)}?format=${format}`);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

/** The CSV parsing every exported NDJSON row gives. */
function expectedCsv(ndjson: string): string {
  const rows = ndjson
    .split("\n")
    .filter((line) => line !== "")
    .map((text) => {
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

function keptColumns(t: TestServer): { names: string; kinds: string } | undefined {
  return sql(t, "SELECT names, kinds FROM history_columns", "get") as
    { names: string; kinds: string } | undefined;
}

/** A statement on the server's database, through a connection of its own (WAL: the server runs on). */
function sql(t: TestServer, statement: string, method: "get" | "run" = "run"): unknown {
  const db = new Database(join(t.dataDir, "stepwise.db"));
  try {
    return db.prepare(statement)[method]();
  } finally {
    db.close();
  }
}

function forgetColumns(t: TestServer): void {
  sql(t, "DELETE FROM history_columns");
}

describe("history export in one pass (columns kept at ingest)", () => {
  it("gives the bytes of the two-pass export, and every value as logged", async () => {
    await using t = await startTestServer();
    const rowCount = await logRun(t);
    const ndjson = await (await t.fetch(`${apiPaths.history(ref)}?format=ndjson`)).text();
    expect(ndjson.split("\n").length - 1).toBe(rowCount);

    const kept = keptColumns(t);
    expect(kept).toBeDefined();
    expect(JSON.parse((kept as { names: string }).names)).toEqual([
      "_step",
      "loss",
      "a.b",
      "empty",
      "late",
      "ok",
      "nested.x",
      "nested.y",
      "acc",
      "_runtime",
      "_timestamp",
      "7",
      "b",
      "img",
      "v",
      "nested.z",
      "never",
      "lr",
      "9",
      "cfg.depth",
      "cfg.name",
      "fresh",
    ]);
    expect(kept?.kinds).toBe("dodndoondddddoobndddoo");
    expect(sql(t, "SELECT dense FROM history_columns", "get")).toEqual({ dense: 0 });
    const onePass = { csv: await exported(t, "csv"), parquet: await exported(t, "parquet") };
    expect(onePass.csv.toString("utf8")).toBe(expectedCsv(ndjson));
    const read = await parquetReadObjects({ file: toArrayBuffer(onePass.parquet) });
    expect(read.length).toBe(rowCount);
    expect(read[4]).toMatchObject({ loss: "diverged, again", "7": 1, ok: null, never: null });
    expect(read[9]).toMatchObject({ "9": 3, loss: "1", _step: 9 }); // loss: a STRING column
    expect(read[10]).toMatchObject({ "cfg.depth": 2, "cfg.name": "n", loss: null, "9": null });
    expect(Object.values(read[11] as object).every((value) => value === null)).toBe(true); // `_type`
    expect(read[5]).toMatchObject({ ok: "1", img: '{"_type":"image-file","path":"a.png"}' });

    // As a run stored before the table: two passes (each export keeps the columns it found again).
    for (const format of ["csv", "parquet"] as const) {
      forgetColumns(t);
      expect((await exported(t, format)).equals(onePass[format])).toBe(true);
      await vi.waitFor(() => expect(keptColumns(t)).toEqual(kept));
    }
  });

  it("keeps no columns for a run whose history began without them until its first export finds them", async () => {
    await using t = await startTestServer();
    await postJson(t, 0, [{ _step: 0, a: 1 }]);
    forgetColumns(t);
    await postJson(t, 1, [{ _step: 1, b: "late" }]);
    expect(keptColumns(t)).toBeUndefined();
    // Only a whole history's columns are kept: a scan of some keys or steps keeps none.
    await t.fetch(`${apiPaths.history(ref)}?format=csv&keys=a`);
    await t.fetch(`${apiPaths.history(ref)}?format=parquet&maxStep=0`);
    expect(keptColumns(t)).toBeUndefined();
    expect((await exported(t, "csv")).toString("utf8")).toBe("_step,a,b\n0,1,\n1,,late\n");
    // Found by that two-pass export and kept; later batches add to them, read in one pass.
    await vi.waitFor(() => expect(keptColumns(t)).toEqual({ names: '["_step","a","b"]', kinds: "ddo" }));
    await postJson(t, 2, [{ _step: 2, c: null, a: 2 }]);
    expect(keptColumns(t)).toEqual({ names: '["_step","a","b","c"]', kinds: "ddon" });
    expect((await exported(t, "csv")).toString("utf8")).toBe("_step,a,b,c\n0,1,,\n1,,late,\n2,2,,\n");
    expect(sql(t, "SELECT dense FROM history_columns", "get")).toEqual({ dense: 0 });
  });

  it("keeps the columns of every batch after a run's first, and exports rows logged since", async () => {
    await using t = await startTestServer();
    await postJson(t, 0, [{ _step: 0, a: 1 }]);
    expect((await exported(t, "csv")).toString("utf8")).toBe("_step,a\n0,1\n");
    await postJson(t, 1, [{ _step: 1, b: true }]);
    expect((await exported(t, "csv")).toString("utf8")).toBe("_step,a,b\n0,1,\n1,,true\n");
    expect(keptColumns(t)).toEqual({ names: '["_step","a","b"]', kinds: "ddb" });
    // The export lays the rows out by the kept columns (read, not found again): another order shows.
    sql(t, `UPDATE history_columns SET names = '["b","a","_step"]', kinds = 'bdd'`);
    expect((await exported(t, "csv")).toString("utf8")).toBe("_step,b,a\n0,,1\n1,true,\n");
  });
});

describe("Parquet of a dense run (every row numbers only, holding every column)", () => {
  it("takes the columns from the series: the bytes the rows' text gives, -0, NaN payloads and ±Infinity included", async () => {
    await using t = await startTestServer();
    const keys: Record<number, string> = { 1: "loss", 2: "a.b", 3: "_runtime", 4: "_step" };
    const keyOf = (id: number): string => keys[id] as string;
    const oddNaN = Buffer.from([1, 0, 0, 0, 0, 0, 0xf8, 0x7f]).readDoubleLE(0); // payload 1
    const value = (i: number): number =>
      [-0, oddNaN, Infinity, -Infinity, 1e21, 5e-324, 0.1 + 0.2][i % 97] ?? i * 0.001 - 7;
    const rows = 60_003; // two row groups of ≤ 50,000, chunks of 1,024 split across batches
    for (let offset = 0; offset < rows; offset += 20_001)
      await postPacked(t, offset, (b) => {
        for (let i = offset; i < offset + 20_001; i++)
          b.addRaw(
            logRow([
              [1, value(i)],
              [2, -value(i + 1)],
              [3, i / 3],
              [4, i * 2],
            ]),
            keyOf,
          );
      });
    expect(sql(t, "SELECT names, kinds, dense FROM history_columns", "get")).toEqual({
      names: '["loss","a.b","_runtime","_step"]',
      kinds: "dddd",
      dense: 1,
    });
    const fromSeries = await exported(t, "parquet");
    sql(t, "UPDATE history_columns SET dense = 0"); // one pass over the rows
    const fromRows = await exported(t, "parquet");
    forgetColumns(t); // two passes over the rows
    const twoPasses = await exported(t, "parquet");
    expect(fromRows.equals(twoPasses)).toBe(true);
    expect(fromSeries.equals(fromRows)).toBe(true);
    const read = await parquetReadObjects({ file: toArrayBuffer(fromSeries), rowStart: 0, rowEnd: 8 });
    expect(read[0]).toEqual({ _step: 0, loss: 0, "a.b": -oddNaN, _runtime: 0 });
    expect(Object.is(read[0]?.loss, 0)).toBe(true); // -0 as its text `0` reads
    expect(read[2]).toMatchObject({ loss: Infinity, "a.b": Infinity });
  });

  it("is not dense once a row lacks a column, and its Parquet comes from the rows", async () => {
    await using t = await startTestServer();
    await postPacked(t, 0, (b) => {
      b.addObject({ _step: 0, a: 1, b: 2 }, stringifyExtended);
      b.addObject({ _step: 1, a: 3 }, stringifyExtended);
    });
    expect(sql(t, "SELECT dense FROM history_columns", "get")).toEqual({ dense: 0 });
    const read = await parquetReadObjects({ file: toArrayBuffer(await exported(t, "parquet")) });
    expect(read).toEqual([
      { _step: 0, a: 1, b: 2 },
      { _step: 1, a: 3, b: null },
    ]);
  });
});

function toArrayBuffer(bytes: Buffer): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
