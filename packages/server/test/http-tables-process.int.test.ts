/**
 * The built server (a process of its own) stores a logged table in its worker thread
 * (store/tables/table-convert-worker.js) and answers the same rows; a server killed with SIGKILL
 * while storing one leaves no half table: after a restart the table is stored again and whole.
 */
import { mkdtemp, readdir, rm } from "node:fs/promises";
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

const ref: RunRef = { entity: "local", project: "tables", runId: "process" };

async function post(url: string, path: string, body: unknown): Promise<Response> {
  return fetch(url + path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: stringifyExtended(body),
  });
}

describe("tables in the built server", () => {
  test("stored in the worker thread, whole after a SIGKILL while storing", async () => {
    const dir = await mkdtemp(join(tmpdir(), "stepwise-tables-process-"));
    try {
      const rows = Array.from({ length: 300_000 }, (_, i) => [i, `r${i % 13}`, i % 2 === 0]);
      const bytes = tableFileBytes(["i", "s", "b"], rows);
      const value = tableFileValue("t", 0, bytes, rows.length, 3);
      let server = await startServerProcess(dir);
      expect(
        (
          await post(server.url, apiPaths.ingest(ref), {
            history: { offset: 0, rows: [{ _step: 0, t: value }] },
          })
        ).status,
      ).toBe(200);
      await uploadFile(server.url, ref, { path: value.path as string, bytes });
      // The first query starts storing the table; the server dies before it is done.
      void post(server.url, structuredPaths.tableQuery(ref), { key: "t" }).catch(() => undefined);
      const folder = join(dir, "tables", (value.sha256 as string).slice(0, 2));
      const storing = async (): Promise<string[]> =>
        (await readdir(folder).catch(() => [])).filter((n) => n.includes(".tmp-"));
      while ((await storing()).length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      await server.stop("SIGKILL");
      expect(await readdir(folder)).toEqual(await storing());
      server = await startServerProcess(dir);
      try {
        const response = await post(server.url, structuredPaths.tableQuery(ref), {
          key: "t",
          where: "b = true and s = 'r5'",
          sort: [{ column: "i", desc: true }],
          limit: 3,
        });
        expect(response.status).toBe(200);
        const page = tablePageSchema.parse(parseExtended(await response.text()));
        const want = rows.filter((r) => r[2] === true && r[1] === "r5").reverse();
        expect(page.kind === "rows" && [page.matchedRows, page.rows.map((r) => r.cells)]).toEqual([
          want.length,
          want.slice(0, 3),
        ]);
        expect(page.totalRows).toBe(rows.length);
        const stored = await readdir(folder);
        expect(stored).toEqual([`${value.sha256 as string}.v1.sqlite`]);
      } finally {
        await server.stop("SIGTERM");
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
