/**
 * The built server reads tables off its main thread: while the first filtered and sorted page of
 * a large table is being scanned (hundreds of ms), `GET /api/v1/viewer` answers at once — before
 * the table query does — and the page still holds the logged rows.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import {
  apiPaths,
  parseExtended,
  stringifyExtended,
  structuredPaths,
  tablePageSchema,
  type RunRef,
} from "@stepwise/protocol";
import { uploadFile } from "./support/file-uploads.js";
import { startServerProcess } from "./support/server-process.js";
import { tableFileBytes, tableFileValue } from "./support/structured-values.js";

const ref: RunRef = { entity: "local", project: "tables", runId: "off-thread" };

async function post(url: string, path: string, body: unknown): Promise<Response> {
  return fetch(url + path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: stringifyExtended(body),
  });
}

describe("table reads in the built server", () => {
  test("a slow table query does not hold up other requests", async () => {
    const dir = await mkdtemp(join(tmpdir(), "stepwise-tables-off-thread-"));
    const server = await startServerProcess(dir);
    try {
      const rows = Array.from({ length: 600_000 }, (_, i): [number, string, boolean] => [
        i,
        `r${(i * 7919) % 100_003}`,
        i % 3 === 0,
      ]);
      const bytes = tableFileBytes(["i", "s", "b"], rows);
      const value = tableFileValue("t", 0, bytes, rows.length, 3);
      const ingest = await post(server.url, apiPaths.ingest(ref), {
        history: { offset: 0, rows: [{ _step: 0, t: value }] },
      });
      expect(ingest.status).toBe(200);
      await uploadFile(server.url, ref, { path: value.path as string, bytes });
      // Stored first (a plain page), so the timed query is the read alone.
      expect((await post(server.url, structuredPaths.tableQuery(ref), { key: "t", limit: 1 })).status).toBe(
        200,
      );

      const order: string[] = [];
      const started = performance.now();
      const query = post(server.url, structuredPaths.tableQuery(ref), {
        key: "t",
        where: "b = false and s != 'r1'",
        sort: [{ column: "s", desc: true }, { column: "i" }],
        limit: 3,
      }).then(async (response) => {
        order.push("table");
        return { status: response.status, text: await response.text(), ms: performance.now() - started };
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      const viewer = await fetch(server.url + "/api/v1/viewer");
      order.push("viewer");
      const viewerMs = performance.now() - started;
      expect(viewer.status).toBe(200);
      const answered = await query;
      expect(answered.status).toBe(200);
      // The test means something only if the table query is slow enough to be overtaken.
      expect(answered.ms).toBeGreaterThan(viewerMs);
      expect(order).toEqual(["viewer", "table"]);
      const page = tablePageSchema.parse(parseExtended(answered.text));
      const want = rows
        .filter((r) => r[2] === false && r[1] !== "r1")
        .sort((a, b) => (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : a[0] - b[0]));
      expect(page.kind === "rows" && [page.matchedRows, page.rows.map((r) => r.cells)]).toEqual([
        want.length,
        want.slice(0, 3),
      ]);
    } finally {
      await server.stop("SIGTERM");
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
