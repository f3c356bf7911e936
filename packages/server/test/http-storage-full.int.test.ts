/**
 * A full disk under the server (a real small tmpfs, or a loop-mounted ext4 where tmpfs cannot be
 * mounted): writes are refused with 503 STORAGE_FULL and Retry-After, nothing of a refused write
 * is stored or served, reads keep working, and once space is freed the same requests succeed —
 * the server's history then equals, row by row, the rows this test sent.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  apiPaths,
  parseExtended,
  seriesResponseSchema,
  type IngestBatch,
  type RunRef,
} from "@stepwise/protocol";
import { historyBatch, startTestServer, type TestServer } from "./http-harness.js";
import { mountSmallFilesystem, type SmallFilesystem } from "./support/small-filesystem.js";

const ref: RunRef = { entity: "local", project: "full", runId: "r1" };
const mounted = mountSmallFilesystem(16);
const fs: SmallFilesystem | null = "unavailable" in mounted ? null : mounted;

beforeAll(() => {
  if (fs === null)
    console.warn(`skipping the full-disk tests: ${(mounted as { unavailable: string }).unavailable}`);
});
afterAll(() => fs?.unmount());

describe.skipIf(fs === null)("a full disk under the server", () => {
  test("writes get 503 STORAGE_FULL, reads work, and the same writes succeed once space is freed", async () => {
    const disk = fs as SmallFilesystem;
    await using t = await startTestServer({}, join(disk.path, "data"));
    const first = historyBatch(0, 100);
    expect((await t.ingest(ref, first)).status).toBe(200);
    const put = (path: string, body: Buffer): Promise<Response> =>
      t.fetch(apiPaths.file(ref, path), { method: "PUT", body });
    const kept = Buffer.from("the first version, uploaded before the disk filled");
    expect((await put("notes/kept.txt", kept)).status).toBe(201);

    disk.fill();
    // 20,000 rows need new pages in the WAL: SQLite cannot grow it.
    const second = historyBatch(100, 20_000);
    const refused = await t.ingest(ref, second);
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("5");
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("STORAGE_FULL");
    expect(body.error.message).toContain(join(disk.path, "data", "stepwise.db"));
    expect(body.error.message).toContain("Free space");

    const bigFile = Buffer.alloc(256 * 1024, 7);
    const newFile = await put("media/big.bin", bigFile);
    expect(newFile.status).toBe(503);
    expect(((await newFile.json()) as { error: { code: string } }).error.code).toBe("STORAGE_FULL");
    expect((await put("notes/kept.txt", bigFile)).status).toBe(503);

    // Reads work, with a key too (its last-used time waits for space), and show nothing of
    // what was refused.
    const withKey = await t.fetch(apiPaths.run(ref), { headers: { authorization: `Bearer ${t.adminKey}` } });
    expect(withKey.status).toBe(200);
    expect(await historySteps(t)).toEqual(steps(first));
    const run = (await (await t.fetch(apiPaths.run(ref))).json()) as { offsets: { history: number } };
    expect(run.offsets.history).toBe(100);
    expect((await t.fetch(apiPaths.file(ref, "media/big.bin"))).status).toBe(404);
    const keptNow = await t.fetch(apiPaths.file(ref, "notes/kept.txt"));
    expect(Buffer.from(await keptNow.arrayBuffer())).toEqual(kept);
    const fileNames = ((await (await t.fetch(apiPaths.files(ref))).json()) as { files: { path: string }[] })
      .files;
    expect(fileNames.map((file) => file.path)).toEqual(["notes/kept.txt"]);

    disk.free();
    expect((await t.ingest(ref, second)).status).toBe(200);
    expect((await put("media/big.bin", bigFile)).status).toBe(201);
    expect(await historyRows(t)).toEqual([...rowsOf(first), ...rowsOf(second)]);
    // The charts' series hold each logged point once: the refused batch left nothing behind.
    const series = await t.send("POST", apiPaths.series(), { runs: [ref], keys: ["loss"], buckets: 10 });
    const [loss] = seriesResponseSchema.parse(await series.json()).series;
    expect(loss?.count).toBe(20_100);
    expect(loss?.min.at(-1)).toBe(1 / 20_100);
    expect(Buffer.from(await (await t.fetch(apiPaths.file(ref, "media/big.bin"))).arrayBuffer())).toEqual(
      bigFile,
    );
    // The operator is told in the server log, once, not once per refused request.
    const told = t.logs.filter((line) => line.includes("the server's disk is full: the database"));
    expect(told).toHaveLength(1);
  });
});

async function historyRows(t: TestServer): Promise<unknown[]> {
  const text = await (await t.fetch(apiPaths.history(ref))).text();
  return text
    .trim()
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => parseExtended(line));
}

async function historySteps(t: TestServer): Promise<unknown[]> {
  return (await historyRows(t)).map((row) => (row as { _step: unknown })._step);
}

function rowsOf(batch: IngestBatch): Record<string, unknown>[] {
  return batch.history?.rows ?? [];
}

function steps(batch: IngestBatch): unknown[] {
  return rowsOf(batch).map((row) => row["_step"]);
}
