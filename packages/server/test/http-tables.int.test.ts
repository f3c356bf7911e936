/**
 * Tables through a real server: the file arriving before or after its history row, versions of
 * a key across steps, media and nested JSON cells as logged, CSV and Parquet export of a
 * filtered and sorted table, and bad input answered 4xx naming the field (never 5xx).
 */
import { existsSync, readdirSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { parquetReadObjects } from "hyparquet";
import { describe, expect, test } from "vitest";
import {
  parseExtended,
  structuredPaths,
  tableListResponseSchema,
  tablePageSchema,
  type RunRef,
  type TablePage,
} from "@stepwise/protocol";
import { startTestServer, type TestServer } from "./http-harness.js";
import { errorOf } from "./support/file-uploads.js";
import { ingestRows, tableFileBytes, tableFileValue, uploadTable } from "./support/structured-values.js";

const ref: RunRef = { entity: "local", project: "tables", runId: "small" };
const image = {
  _type: "image-file",
  path: "media/images/img_0_abc.png",
  sha256: "ab".repeat(32),
  size: 10,
  width: 2,
  height: 2,
};
const COLUMNS = ["name", "score", "flag", "extra", "picture"];
const ROWS: unknown[][] = [
  ["b", 0.5, true, { a: [1, 2] }, image],
  ["a", 2, false, null, null],
  ["c", -1, null, [1, "x"], image],
  ["a", Number.POSITIVE_INFINITY, true, { nested: { deep: true } }, null],
];

async function page(t: TestServer, body: Record<string, unknown>): Promise<TablePage> {
  const response = await t.send("POST", structuredPaths.tableQuery(ref), body);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${response.status}: ${text}`);
  return tablePageSchema.parse(parseExtended(text));
}

function logged(
  t: TestServer,
  key: string,
  step: number,
  rows: unknown[][],
  columns = COLUMNS,
  offset = step,
) {
  const bytes = tableFileBytes(columns, rows);
  const value = tableFileValue(key, step, bytes, rows.length, columns.length);
  return { bytes, value, ingest: () => ingestRows(t, ref, offset, [{ _step: step, [key]: value }]) };
}

describe("tables", () => {
  test("a table file uploaded after its history row: waiting until it arrives, then served as logged", async () => {
    await using t = await startTestServer();
    const table = logged(t, "samples", 0, ROWS);
    await table.ingest();
    const early = await t.send("POST", structuredPaths.tableQuery(ref), { key: "samples" });
    expect(early.status).toBe(404);
    expect((await errorOf(early)).message).toContain("has not been uploaded");
    const list = tableListResponseSchema.parse(await (await t.fetch(structuredPaths.tables(ref))).json());
    expect(list.tables[0]?.versions[0]?.state).toBe("waiting-for-file");
    await uploadTable(t, ref, table.value, table.bytes);
    const result = await page(t, { key: "samples" });
    expect(result.kind === "rows" && result.rows.map((r) => r.cells)).toEqual(ROWS);
    expect(result.schema).toEqual([
      { name: "name", type: "string" },
      { name: "score", type: "number" },
      { name: "flag", type: "boolean" },
      { name: "extra", type: "json" },
      { name: "picture", type: "media", mediaType: "image-file" },
    ]);
    const after = tableListResponseSchema.parse(await (await t.fetch(structuredPaths.tables(ref))).json());
    expect(after.tables[0]?.versions[0]).toMatchObject({ step: 0, state: "ready", rows: 4, columns: 5 });
  });

  test("a table file uploaded before its history row is served once the row arrives", async () => {
    await using t = await startTestServer();
    await ingestRows(t, ref, 0, [{ _step: 0, loss: 1 }]);
    const table = logged(t, "early", 1, ROWS, COLUMNS, 1);
    await uploadTable(t, ref, table.value, table.bytes);
    const before = await t.send("POST", structuredPaths.tableQuery(ref), { key: "early" });
    expect(before.status).toBe(404);
    await table.ingest();
    const result = await page(t, {
      key: "early",
      sort: [{ column: "score", desc: true }],
      where: "score > 0",
    });
    expect(result.kind === "rows" && result.rows.map((r) => r.index)).toEqual([3, 1, 0]);
  });

  test("listing a run's tables stores the latest version of each key ahead of its first query", async () => {
    await using t = await startTestServer();
    const first = logged(t, "k", 0, [["x", 1, true, null, null]]);
    const latest = logged(t, "k", 5, ROWS, COLUMNS, 1);
    for (const table of [first, latest]) {
      await table.ingest();
      await uploadTable(t, ref, table.value, table.bytes);
    }
    const stored = (sha: string): boolean =>
      existsSync(join(t.dataDir, "tables", sha.slice(0, 2), `${sha}.v1.sqlite`));
    expect((await t.fetch(structuredPaths.tables(ref))).status).toBe(200);
    for (let i = 0; i < 500 && !stored(latest.value.sha256 as string); i++)
      await new Promise((r) => setTimeout(r, 10));
    expect([stored(latest.value.sha256 as string), stored(first.value.sha256 as string)]).toEqual([
      true,
      false,
    ]);
  });

  test("closing the server closes the stored tables it opened", async () => {
    await using t = await startTestServer();
    const table = logged(t, "c", 0, ROWS);
    await table.ingest();
    await uploadTable(t, ref, table.value, table.bytes);
    expect((await t.send("POST", structuredPaths.tableQuery(ref), { key: "c" })).status).toBe(200);
    const openTables = (): string[] =>
      readdirSync("/proc/self/fd")
        .map((fd) => {
          try {
            return readlinkSync(`/proc/self/fd/${fd}`);
          } catch {
            return "";
          }
        })
        .filter((target) => target.startsWith(join(t.dataDir, "tables")));
    // The library's connection (columns, rows) and the reads' own (table-read-pool.ts).
    expect(openTables().length).toBeGreaterThan(0);
    await t.stop();
    expect(openTables()).toEqual([]);
  });

  test("versions of a key across steps: the latest by default, any step on request", async () => {
    await using t = await startTestServer();
    const first = logged(t, "evals", 0, [["x", 1, true, null, null]]);
    const second = logged(t, "evals", 10, ROWS, COLUMNS, 1);
    await first.ingest();
    await second.ingest();
    await uploadTable(t, ref, first.value, first.bytes);
    await uploadTable(t, ref, second.value, second.bytes);
    const list = tableListResponseSchema.parse(await (await t.fetch(structuredPaths.tables(ref))).json());
    expect(list.tables).toEqual([
      {
        key: "evals",
        versions: [
          expect.objectContaining({ step: 0, rows: 1 }),
          expect.objectContaining({ step: 10, rows: 4 }),
        ],
      },
    ]);
    expect((await page(t, { key: "evals" })).totalRows).toBe(4);
    const old = await page(t, { key: "evals", step: 0 });
    expect(old.step).toBe(0);
    expect(old.kind === "rows" && old.rows[0]?.cells).toEqual(["x", 1, true, null, null]);
  });

  test("export as CSV and Parquet: the filtered, sorted rows as logged", async () => {
    await using t = await startTestServer();
    const table = logged(t, "out", 0, ROWS);
    await table.ingest();
    await uploadTable(t, ref, table.value, table.bytes);
    const url = `${structuredPaths.tableExport(ref)}?key=out&where=${encodeURIComponent("flag is not null")}&sort=-name&sort=score`;
    const csv = await t.fetch(`${url}&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-disposition")).toContain("out_0.csv");
    expect((await csv.text()).split("\n")).toEqual([
      "name,score,flag,extra,picture",
      `b,0.5,true,"{""a"":[1,2]}","${JSON.stringify(image).replaceAll('"', '""')}"`,
      "a,2,false,,",
      'a,Infinity,true,"{""nested"":{""deep"":true}}",',
      "",
    ]);
    const parquet = await t.fetch(`${url}&format=parquet&columns=score&columns=name`);
    expect(parquet.status).toBe(200);
    const file = await parquet.arrayBuffer();
    expect(await parquetReadObjects({ file })).toEqual([
      { score: 0.5, name: "b" },
      { score: 2, name: "a" },
      { score: Number.POSITIVE_INFINITY, name: "a" },
    ]);
  });

  test("bad input is a 4xx naming the field, never a 5xx", async () => {
    await using t = await startTestServer();
    const table = logged(t, "t", 0, ROWS);
    await table.ingest();
    await uploadTable(t, ref, table.value, table.bytes);
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ key: "t", sort: [{ column: "nope" }] }, 400, 'sort[0].column: unknown column "nope"'],
      [{ key: "t", where: "nope > 1" }, 400, 'where: unknown column "nope"'],
      [{ key: "t", where: "score >" }, 400, "where: expected a value"],
      [{ key: "t", groupBy: "nope" }, 400, "groupBy: unknown column"],
      [{ key: "t", columns: ["name", "nope"] }, 400, "columns[1]: unknown column"],
      [{ key: "t", limit: 0 }, 400, "body.limit"],
      [{ key: "t", limit: 5000 }, 400, "body.limit"],
      [{ key: "t", offset: -1 }, 400, "body.offset"],
      [{ key: "t", extra: 1 }, 400, "extra"],
      [{ key: "missing" }, 404, 'no table logged under "missing"'],
      [{ key: "t", step: 7 }, 404, "no version at step 7"],
    ];
    for (const [body, status, text] of cases) {
      const response = await t.send("POST", structuredPaths.tableQuery(ref), body);
      const error = await errorOf(response);
      expect([response.status, error.message]).toEqual([status, expect.stringContaining(text)]);
    }
    const unknown = await t.send("POST", structuredPaths.tableQuery({ ...ref, runId: "nobody" }), {
      key: "t",
    });
    expect(unknown.status).toBe(404);
    const badExport = await t.fetch(`${structuredPaths.tableExport(ref)}?key=t&format=xlsx`);
    expect([badExport.status, (await errorOf(badExport)).message]).toEqual([
      400,
      expect.stringContaining("query.format"),
    ]);
    const badSort = await t.fetch(`${structuredPaths.tableExport(ref)}?key=t&sort=-nope`);
    expect([badSort.status, (await errorOf(badSort)).message]).toEqual([
      400,
      expect.stringContaining("sort[0].column"),
    ]);
  });

  test("a file that is not a table (ragged rows) is a 422 naming the row, and the key's version says why", async () => {
    await using t = await startTestServer();
    const bytes = Buffer.from('{"columns":["a","b"],"data":[[1,2],[3]]}');
    const value = tableFileValue("ragged", 0, bytes, 2, 2);
    await ingestRows(t, ref, 0, [{ _step: 0, ragged: value }]);
    await uploadTable(t, ref, value, bytes);
    for (let i = 0; i < 2; i++) {
      const response = await t.send("POST", structuredPaths.tableQuery(ref), { key: "ragged" });
      const error = await errorOf(response);
      expect([response.status, error.code]).toEqual([422, "CORRUPT_DATA"]);
      expect(error.message).toContain("row 1 has 1 cells but the table has 2 columns");
    }
    const list = tableListResponseSchema.parse(await (await t.fetch(structuredPaths.tables(ref))).json());
    const version = list.tables[0]?.versions[0];
    expect(version?.state).toBe("invalid");
    expect(version?.problem).toContain("row 1");
  });
});
