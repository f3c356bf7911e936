/**
 * Garbage collection removes what the server derived from a freed blob: a table logged and
 * queried (stored under `<data>/tables`) and an image whose thumbnail was made (under
 * `<data>/thumbnails`) are replaced by new content; once collected, their derived files are gone,
 * those of the content still referenced stay, and the table and image still answer as logged.
 * `checkStore` reports derived files whose blob is gone, without failing.
 */
import { createHash } from "node:crypto";
import { readdir, writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import {
  apiPaths,
  mediaPaths,
  mediaQueryResponseSchema,
  structuredPaths,
  type RunRef,
} from "@stepwise/protocol";
import { checkStore, collectGarbageIn } from "../src/index.js";
import { startTestServer, type TestServer } from "./http-harness.js";
import { imageValue, png } from "./support/media-values.js";
import { tableFileBytes, tableFileValue, uploadTable } from "./support/structured-values.js";

const ref: RunRef = { entity: "local", project: "derived", runId: "d" };
const sha = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

async function filesUnder(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/** Logs a table at `step` under key `t` (same file path each time: the old content is freed). */
async function logTable(t: TestServer, step: number, rows: unknown[][]): Promise<string> {
  const bytes = tableFileBytes(["a", "b"], rows);
  const value = { ...tableFileValue("t", 0, bytes, rows.length, 2), path: "media/table/t.table.json" };
  await t.ingest(ref, { history: { offset: step, rows: [{ _step: step, t: value }] } });
  await uploadTable(t, ref, value, bytes);
  const page = await t.send("POST", structuredPaths.tableQuery(ref), { key: "t", step });
  expect(await page.json()).toMatchObject({ rows: rows.map((cells, index) => ({ index, cells })) });
  return sha(bytes);
}

/**
 * Puts a 600×400 image (pattern `seed`) at the path of the image logged at step 0 and has its
 * 256 px thumbnail made: a second put replaces the content, freeing the first one's blob.
 */
async function putImage(t: TestServer, seed: number): Promise<string> {
  const bytes = await png(600, 400, seed);
  const value = imageValue("img", 0, await png(600, 400, 0), 600, 400);
  if (seed === 0) {
    const logged = await t.ingest(ref, { history: { offset: 1, rows: [{ _step: 1, img: value }] } });
    expect(logged.status).toBe(200);
  }
  expect((await t.fetch(apiPaths.file(ref, value.path), { method: "PUT", body: bytes })).status).toBe(201);
  const query = new URLSearchParams({ key: "img", runs: ref.runId, step: "1", match: "exact" });
  const media = mediaQueryResponseSchema.parse(
    await (await t.fetch(`${mediaPaths.media(ref.entity, ref.project)}?${query.toString()}`)).json(),
  );
  const url = media.runs[0]?.items[0]?.thumbnails?.["256"];
  if (url === undefined) throw new Error(`no thumbnail URL in ${JSON.stringify(media)}`);
  const thumbnail = await t.fetch(url);
  expect(thumbnail.status).toBe(200);
  await thumbnail.arrayBuffer();
  return sha(bytes);
}

describe("garbage collection and derived files", () => {
  test("a freed blob's stored table and thumbnails are removed; the live ones stay and answer", async () => {
    await using t = await startTestServer({ gcIntervalS: 0 });
    const oldTable = await logTable(t, 0, [
      [1, "x"],
      [2, "y"],
    ]);
    const oldImage = await putImage(t, 0);
    const newTable = await logTable(t, 2, [[3, "z"]]);
    const newImage = await putImage(t, 1);
    const tables = join(t.dataDir, "tables");
    const thumbnails = join(t.dataDir, "thumbnails");
    expect(await filesUnder(tables)).toEqual([`${newTable}.v1.sqlite`, `${oldTable}.v1.sqlite`].sort());
    // A thumbnail is written to the cache beside being answered.
    await expect.poll(() => filesUnder(thumbnails)).toEqual([`${newImage}.webp`, `${oldImage}.webp`].sort());

    const report = await t.server.collectGarbage({ graceS: 0 });
    expect(report.freed.sort()).toEqual([oldImage, oldTable].sort());
    expect(report.derivedFilesRemoved).toBe(2);
    expect(await filesUnder(tables)).toEqual([`${newTable}.v1.sqlite`]);
    expect(await filesUnder(thumbnails)).toEqual([`${newImage}.webp`]);
    const page = await t.send("POST", structuredPaths.tableQuery(ref), { key: "t", step: 2 });
    expect(await page.json()).toMatchObject({ matchedRows: 1, rows: [{ index: 0, cells: [3, "z"] }] });
    expect(t.logs.filter((line) => line.startsWith("internal error"))).toEqual([]);
  });

  test("the one-shot collection removes them too, and --check reports strays without failing", async () => {
    await using t = await startTestServer({ gcIntervalS: 0 });
    const oldTable = await logTable(t, 0, [[1, "x"]]);
    const newTable = await logTable(t, 1, [[2, "y"]]);
    await t.stop();
    // A stray left by a collection from before derived files were removed with their blob.
    const stray = "f".repeat(64);
    await mkdir(join(t.dataDir, "thumbnails", "256", "ff"), { recursive: true });
    await writeFile(join(t.dataDir, "thumbnails", "256", "ff", `${stray}.webp`), "x");
    const report = await collectGarbageIn(t.dataDir, {
      graceS: 0,
      ...(t.database === undefined ? {} : { database: t.database }),
    });
    expect([report.freed, report.derivedFilesRemoved]).toEqual([[oldTable], 1]);
    expect(await filesUnder(join(t.dataDir, "tables"))).toEqual([`${newTable}.v1.sqlite`]);
    const check = await checkStore(t.dataDir, t.database === undefined ? {} : { database: t.database });
    expect(check.ok).toBe(true);
    expect(check.strayDerivedFiles).toEqual([join(t.dataDir, "thumbnails", "256", "ff", `${stray}.webp`)]);
    expect(check.notes.join("\n")).toContain("1 stored table or thumbnail whose file is gone");
  });
});
