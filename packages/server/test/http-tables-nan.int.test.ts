/**
 * NaN cells of a logged table through the server's stored table: a page, a filtered and sorted
 * page, and a table stored before NaN cells were kept (no sidecar) is stored again at open, so
 * its NaNs come back as logged instead of null.
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, test } from "vitest";
import { parseExtended, structuredPaths, type RunRef, type TablePage } from "@stepwise/protocol";
import { startTestServer, type TestServer } from "./http-harness.js";
import { ingestRows, tableFileBytes, tableFileValue, uploadTable } from "./support/structured-values.js";

const ref: RunRef = { entity: "local", project: "nan", runId: "t" };
const rows = [
  ["a", 1],
  ["b", NaN],
  ["c", Infinity],
  ["d", -Infinity],
  ["e", NaN],
];

async function cells(t: TestServer, query: Record<string, unknown>): Promise<unknown[][]> {
  const response = await t.send("POST", structuredPaths.tableQuery(ref), { key: "t", ...query });
  expect(response.status).toBe(200);
  const page = parseExtended(await response.text()) as TablePage;
  return page.kind === "rows" ? page.rows.map((r) => r.cells) : [];
}

describe("NaN cells in stored tables", () => {
  test("come back as logged in pages (filters see no value), and old stored tables are stored again", async () => {
    const bytes = tableFileBytes(["id", "x"], rows);
    const value = tableFileValue("t", 0, bytes, rows.length, 2);
    await using first = await startTestServer();
    await ingestRows(first, ref, 0, [{ _step: 0, t: value }]);
    await uploadTable(first, ref, value, bytes);
    expect(await cells(first, {})).toEqual(rows);
    expect(await cells(first, { where: "id != 'a'", sort: [{ column: "id", desc: true }] })).toEqual(
      rows.slice(1).reverse(),
    );
    // NaN compares as no value: `x > 0` matches 1 and Infinity, never a NaN.
    expect(await cells(first, { where: "x > 0" })).toEqual([rows[0], rows[2]]);
    await first.stop();

    // As stored before the sidecar: the table dropped, NaN cells NULL.
    const sha = value.sha256 as string;
    const db = new Database(join(first.dataDir, "tables", sha.slice(0, 2), `${sha}.v1.sqlite`));
    db.exec("DROP TABLE nan_cells");
    db.close();
    await using second = await startTestServer({}, first.dataDir);
    expect(await cells(second, {})).toEqual(rows);
  });
});
