/**
 * Runs stored before histograms and table versions were indexed (schema 8) are indexed from
 * their stored rows when the store is opened by this version: the heatmap and the table list
 * answer the same as for runs ingested with the index in place.
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, test } from "vitest";
import { structuredPaths, type RunRef } from "@stepwise/protocol";
import { DATABASE_FILE } from "../src/data-dir.js";
import { startTestServer, type TestServer } from "./http-harness.js";
import {
  histogramValue,
  ingestRows,
  tableFileBytes,
  tableFileValue,
  uploadTable,
} from "./support/structured-values.js";

const ref: RunRef = { entity: "local", project: "old", runId: "r" };

async function answers(t: TestServer): Promise<unknown[]> {
  const heatmap = await t.send("POST", structuredPaths.histograms(ref), { key: "h" });
  const tables = await t.fetch(structuredPaths.tables(ref));
  const page = await t.send("POST", structuredPaths.tableQuery(ref), {
    key: "t",
    sort: [{ column: "a", desc: true }],
  });
  return Promise.all([heatmap.json(), tables.json(), page.json()]);
}

describe("structured values rebuild", () => {
  test("runs stored before schema 9 answer the same after a reopen", async () => {
    await using first = await startTestServer();
    const bytes = tableFileBytes(["a"], [[1], [3], [2]]);
    const table = tableFileValue("t", 2, bytes, 3, 1);
    const rows = [0, 1, 2, 3].map((step) => ({
      _step: step,
      h: histogramValue([step, 1], [0, 1, 2 + step]),
      ...(step === 2 ? { t: table } : {}),
    }));
    await ingestRows(first, ref, 0, rows);
    await uploadTable(first, ref, table, bytes);
    const before = await answers(first);
    expect(JSON.stringify(before)).toContain('"count":4');
    await first.stop();

    const db = new Database(join(first.dataDir, DATABASE_FILE));
    db.exec(
      "DROP TABLE histograms; DROP TABLE table_versions; DELETE FROM schema_migrations WHERE version >= 9",
    );
    db.close();
    await using second = await startTestServer({}, first.dataDir);
    expect(await answers(second)).toEqual(before);
  });
});
