/**
 * A stored table damaged on disk (bytes overwritten while the server was down) is reported as
 * STORE_CORRUPT naming it, never served as rows, and removed: the next query stores it again from
 * the run's table file and answers the rows as logged.
 */
import { openSync, closeSync, fstatSync, writeSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { parseExtended, structuredPaths, type RunRef, type TablePage } from "@stepwise/protocol";
import { startTestServer } from "./http-harness.js";
import { ingestRows, tableFileBytes, tableFileValue, uploadTable } from "./support/structured-values.js";

const ref: RunRef = { entity: "local", project: "damage", runId: "t" };

describe("a damaged stored table", () => {
  test("is STORE_CORRUPT, then stored again and served as logged", async () => {
    const rows = Array.from({ length: 50_000 }, (_, i) => [i, `row ${i} ${"x".repeat(i % 50)}`]);
    const bytes = tableFileBytes(["i", "s"], rows);
    const value = tableFileValue("t", 0, bytes, rows.length, 2);
    const query = { key: "t", where: "i >= 0", sort: [{ column: "i", desc: true }], limit: 5 };
    await using first = await startTestServer();
    await ingestRows(first, ref, 0, [{ _step: 0, t: value }]);
    await uploadTable(first, ref, value, bytes);
    expect((await first.send("POST", structuredPaths.tableQuery(ref), query)).status).toBe(200);
    await first.stop();

    const sha = value.sha256 as string;
    const file = join(first.dataDir, "tables", sha.slice(0, 2), `${sha}.v1.sqlite`);
    const fd = openSync(file, "r+");
    const size = fstatSync(fd).size;
    writeSync(
      fd,
      Buffer.alloc(Math.floor(size / 10), 0xa5),
      0,
      Math.floor(size / 10),
      Math.floor(size * 0.2),
    );
    closeSync(fd);

    await using second = await startTestServer({}, first.dataDir);
    const damaged = await second.send("POST", structuredPaths.tableQuery(ref), query);
    const body = (await damaged.json()) as { error: { code: string; message: string } };
    expect([damaged.status, body.error.code]).toEqual([500, "STORE_CORRUPT"]);
    expect(body.error.message).toContain('table "t" (step 0) was damaged and has been removed');
    const again = await second.send("POST", structuredPaths.tableQuery(ref), query);
    expect(again.status).toBe(200);
    const page = parseExtended(await again.text()) as TablePage;
    expect(page.kind === "rows" && page.rows.map((r) => r.cells)).toEqual(rows.slice(-5).reverse());
  });
});
