/**
 * Garbage collection of the file store on a real server: it frees exactly the blobs no run file
 * references (only once they are older than the grace period), spares uploads in progress, and
 * racing with declarations that deduplicate against the blobs it frees never leaves a record
 * whose content is gone. The one-shot `collectGarbageIn` (behind `stepwise server --gc`) agrees.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, test } from "vitest";
import { apiPaths, fileListResponseSchema, UPLOAD_OFFSET_HEADER, type RunRef } from "@stepwise/protocol";
import { collectGarbageIn } from "../src/index.js";
import { historyBatch, startTestServer, type TestServer } from "./http-harness.js";
import {
  blobsOnDisk,
  declare,
  nonBlobFilesOnDisk,
  putPart,
  sendParts,
  sha256,
} from "./support/file-uploads.js";

const runA: RunRef = { entity: "local", project: "p", runId: "gc-a" };
const runB: RunRef = { entity: "local", project: "p", runId: "gc-b" };

async function put(t: TestServer, ref: RunRef, path: string, bytes: Buffer): Promise<void> {
  expect((await t.fetch(apiPaths.file(ref, path), { method: "PUT", body: bytes })).status).toBe(201);
}

async function referenced(t: TestServer, refs: RunRef[]): Promise<string[]> {
  const shas = new Set<string>();
  for (const ref of refs) {
    const { files } = fileListResponseSchema.parse(await (await t.fetch(apiPaths.files(ref))).json());
    for (const file of files) shas.add(file.sha256);
  }
  return [...shas].sort();
}

describe("garbage collection", () => {
  test("frees only unreferenced blobs older than the grace period, and spares an upload in progress", async () => {
    await using t = await startTestServer({ gcIntervalS: 0 });
    for (const ref of [runA, runB]) await t.ingest(ref, historyBatch(0, 1));
    const shared = randomBytes(1000);
    const [first, second] = [randomBytes(2000), randomBytes(3000)];
    await put(t, runA, "shared.bin", shared);
    await put(t, runB, "same-content.bin", shared);
    await put(t, runA, "replaced.bin", first);
    await put(t, runA, "replaced.bin", second);
    await put(t, runB, "replaced-too.bin", first);
    await put(t, runB, "replaced-too.bin", second);
    const pending = randomBytes(50_000);
    const upload = await declare(t.url, runB, { path: "pending.bin", bytes: pending });
    if (upload.status !== "upload") throw new Error("expected an upload");
    expect((await putPart(t.url, upload.uploadUrl, pending, 0, 20_000)).status).toBe(200);

    const young = await t.server.collectGarbage();
    expect(young).toMatchObject({ blobs: 3, freed: [], uploadsRemoved: 0 });
    const collected = await t.server.collectGarbage({ graceS: 0 });
    expect(collected).toMatchObject({
      blobs: 3,
      freed: [sha256(first)],
      bytesFreed: 2000,
      uploadsRemoved: 0,
    });
    expect(blobsOnDisk(t.dataDir)).toEqual([sha256(shared), sha256(second)].sort());
    expect(blobsOnDisk(t.dataDir)).toEqual(await referenced(t, [runA, runB]));

    const head = await fetch(t.url + upload.uploadUrl, { method: "HEAD" });
    expect(head.headers.get(UPLOAD_OFFSET_HEADER)).toBe("20000");
    expect(await sendParts(t.url, upload.uploadUrl, pending, 20_000, 20_000)).toMatchObject({
      status: "stored",
    });
    for (const [ref, path, bytes] of [
      [runA, "shared.bin", shared],
      [runB, "same-content.bin", shared],
      [runA, "replaced.bin", second],
      [runB, "pending.bin", pending],
    ] as const) {
      const got = Buffer.from(await (await t.fetch(apiPaths.file(ref, path))).arrayBuffer());
      expect(got.equals(bytes), path).toBe(true);
    }
    await t.stop();
    const again = await collectGarbageIn(t.dataDir, {
      graceS: 0,
      ...(t.database === undefined ? {} : { database: t.database }),
    });
    expect(again).toMatchObject({ blobs: 3, freed: [], uploadsRemoved: 0 });
    expect(nonBlobFilesOnDisk(t.dataDir)).toEqual([]);
  });

  test("racing declarations that deduplicate against blobs being freed never leave a record without its content", async () => {
    await using t = await startTestServer({ gcIntervalS: 0 });
    for (const ref of [runA, runB]) await t.ingest(ref, historyBatch(0, 1));
    const contents = Array.from({ length: 40 }, () => randomBytes(20_000));
    // Each replaces the one before: all but the last are unreferenced blobs, free to collect.
    for (const bytes of contents) await put(t, runA, "scratch.bin", bytes);
    let collecting = true;
    let freed = 0;
    const collector = (async () => {
      while (collecting) freed += (await t.server.collectGarbage({ graceS: 0 })).freed.length;
    })();
    const answers = await Promise.all(
      contents.map(async (bytes, i) => {
        for (let attempt = 0; ; attempt++) {
          const answer = await declare(t.url, runB, { path: `copy-${i}.bin`, bytes });
          if (answer.status === "stored") return "stored";
          try {
            await sendParts(t.url, answer.uploadUrl, bytes, answer.received, answer.partBytes);
            return "uploaded";
          } catch (error) {
            // With no grace period a just-completed blob may be collected before it is
            // recorded: the server says to send it again (503), never records it missing.
            if (attempt > 5 || !String(error).includes("503")) throw error;
          }
        }
      }),
    );
    collecting = false;
    await collector;
    expect(freed).toBeGreaterThan(0);
    expect(answers).toContain("stored");
    for (const [i, bytes] of contents.entries()) {
      const got = await t.fetch(apiPaths.file(runB, `copy-${i}.bin`));
      expect(got.status, `copy-${i}`).toBe(200);
      expect(sha256(Buffer.from(await got.arrayBuffer())), `copy-${i}`).toBe(sha256(bytes));
    }
    await t.server.collectGarbage({ graceS: 0 });
    expect(blobsOnDisk(t.dataDir)).toEqual(await referenced(t, [runA, runB]));
    expect(t.logs.filter((line) => line.startsWith("internal error"))).toEqual([]);
  });
});
