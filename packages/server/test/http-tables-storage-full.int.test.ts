/**
 * A full disk while a table is being stored (a real small tmpfs, or a loop-mounted ext4): the
 * query is refused with 503 STORAGE_FULL, nothing half-stored is left or marked invalid, and once
 * space is freed the same query answers the rows as logged.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseExtended, structuredPaths, type RunRef, type TablePage } from "@stepwise/protocol";
import { startTestServer } from "./http-harness.js";
import { mountSmallFilesystem, type SmallFilesystem } from "./support/small-filesystem.js";
import { ingestRows, tableFileBytes, tableFileValue, uploadTable } from "./support/structured-values.js";

const ref: RunRef = { entity: "local", project: "full", runId: "t" };
const mounted = mountSmallFilesystem(32);
const fs: SmallFilesystem | null = "unavailable" in mounted ? null : mounted;

beforeAll(() => {
  if (fs === null)
    console.warn(`skipping the full-disk table test: ${(mounted as { unavailable: string }).unavailable}`);
});
afterAll(() => fs?.unmount());

describe.skipIf(fs === null)("a full disk while storing a table", () => {
  test("503 STORAGE_FULL, nothing half-stored, and the rows once space is freed", async () => {
    const disk = fs as SmallFilesystem;
    await using t = await startTestServer({}, join(disk.path, "data"));
    const rows = Array.from({ length: 100_000 }, (_, i) => [i, `text number ${i}`]);
    const bytes = tableFileBytes(["i", "s"], rows);
    const value = tableFileValue("t", 0, bytes, rows.length, 2);
    await ingestRows(t, ref, 0, [{ _step: 0, t: value }]);
    await uploadTable(t, ref, value, bytes);

    disk.fill();
    const refused = await t.send("POST", structuredPaths.tableQuery(ref), { key: "t" });
    expect(refused.status).toBe(503);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect([body.error.code, body.error.message]).toEqual([
      "STORAGE_FULL",
      expect.stringContaining("is full"),
    ]);
    const folder = join(disk.path, "data", "tables", (value.sha256 as string).slice(0, 2));
    expect(readdirSync(folder)).toEqual([]);

    disk.free();
    const page = await t.send("POST", structuredPaths.tableQuery(ref), { key: "t", offset: 99_998 });
    expect(page.status).toBe(200);
    const result = parseExtended(await page.text()) as TablePage;
    expect(result.kind === "rows" && result.rows.map((r) => r.cells)).toEqual(rows.slice(99_998));
  });
});
