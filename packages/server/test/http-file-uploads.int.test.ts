/**
 * The file channel's declare → parts → stored protocol (protocol/files.ts) through a real
 * server: resumable parts with Content-Range and Upload-Offset, content stored once however
 * many runs declare it, refused bytes leaving nothing behind, offsets and limits, and each bad
 * input a 4xx that names the problem.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, test } from "vitest";
import { apiPaths, contentRange, LIMITS, UPLOAD_OFFSET_HEADER, type RunRef } from "@stepwise/protocol";
import { historyBatch, startTestServer } from "./http-harness.js";
import {
  blobsOnDisk,
  declare,
  declareRaw,
  errorOf,
  nonBlobFilesOnDisk,
  putPart,
  sendParts,
  sha256,
  uploadFile,
} from "./support/file-uploads.js";

const ref: RunRef = { entity: "local", project: "p", runId: "files" };

async function download(url: string, runRef: RunRef, path: string): Promise<Buffer> {
  const response = await fetch(url + apiPaths.file(runRef, path));
  expect(response.status, path).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

describe("declare and upload in parts", () => {
  test("parts at the offset reached, Upload-Offset, a second declaration resumes, the stored file is the bytes sent", async () => {
    await using t = await startTestServer();
    await t.ingest(ref, historyBatch(0, 1));
    const bytes = randomBytes(1_000_000);
    const first = await declare(t.url, ref, { path: "model/weights.bin", bytes });
    expect(first).toMatchObject({ status: "upload", received: 0, partBytes: LIMITS.uploadPartBytes });
    if (first.status !== "upload") throw new Error("expected an upload");
    expect(first.uploadUrl).toMatch(/^\/api\/v1\/uploads\/[0-9a-f]{32}\?expires=\d+&signature=/);
    expect(first.expiresAt).toBeGreaterThan(Date.now() / 1000 + 3600);

    const part = await putPart(t.url, first.uploadUrl, bytes, 0, 300_000);
    expect(part.status).toBe(200);
    expect(await part.json()).toEqual({ status: "partial", received: 300_000 });
    const head = await fetch(t.url + first.uploadUrl, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get(UPLOAD_OFFSET_HEADER)).toBe("300000");

    const again = await declare(t.url, ref, { path: "model/weights.bin", bytes });
    expect(again).toMatchObject({ status: "upload", uploadId: first.uploadId, received: 300_000 });
    if (again.status !== "upload") throw new Error("expected an upload");
    const last = await sendParts(t.url, again.uploadUrl, bytes, again.received, 250_000);
    expect(last).toMatchObject({
      status: "stored",
      file: { path: "model/weights.bin", size: bytes.length, sha256: sha256(bytes) },
    });
    expect(sha256(await download(t.url, ref, "model/weights.bin"))).toBe(sha256(bytes));
    expect(blobsOnDisk(t.dataDir)).toEqual([sha256(bytes)]);
    expect(nonBlobFilesOnDisk(t.dataDir)).toEqual([]);
    // Declared again once stored: nothing to send.
    expect(await declare(t.url, ref, { path: "model/weights.bin", bytes })).toMatchObject({
      status: "stored",
    });
    // The finished upload's URL is no longer in progress.
    expect((await fetch(t.url + first.uploadUrl, { method: "HEAD" })).status).toBe(404);
  });

  test("an empty file is stored with one empty part, a content type guessed from its name", async () => {
    await using t = await startTestServer();
    await t.ingest(ref, historyBatch(0, 1));
    const answer = await declare(t.url, ref, { path: "empty.json", bytes: Buffer.alloc(0) });
    if (answer.status !== "upload") throw new Error("expected an upload");
    const put = await putPart(t.url, answer.uploadUrl, Buffer.alloc(0), 0, 0);
    expect(await put.json()).toMatchObject({
      status: "stored",
      file: { size: 0, contentType: "application/json" },
    });
    expect((await download(t.url, ref, "empty.json")).length).toBe(0);
  });

  test("the same content declared by 10 runs is sent once and stored once on disk", async () => {
    await using t = await startTestServer();
    const bytes = randomBytes(200_000);
    const kinds: string[] = [];
    for (let i = 0; i < 10; i++) {
      const run = { ...ref, runId: `dedupe-${i}` };
      await t.ingest(run, historyBatch(0, 1));
      kinds.push(await uploadFile(t.url, run, { path: `checkpoints/ckpt-${i}.bin`, bytes }));
    }
    expect(kinds).toEqual(["uploaded", ...Array<string>(9).fill("stored")]);
    expect(blobsOnDisk(t.dataDir)).toEqual([sha256(bytes)]);
    for (let i = 0; i < 10; i++)
      expect(
        (await download(t.url, { ...ref, runId: `dedupe-${i}` }, `checkpoints/ckpt-${i}.bin`)).equals(bytes),
      ).toBe(true);
    // A whole-body PUT of the same content dedupes too.
    const copy = { ...ref, runId: "dedupe-0" };
    const put = await t.fetch(apiPaths.file(copy, "copy.bin"), { method: "PUT", body: bytes });
    expect(put.status).toBe(201);
    expect(blobsOnDisk(t.dataDir)).toEqual([sha256(bytes)]);
    expect((await download(t.url, copy, "copy.bin")).equals(bytes)).toBe(true);
  });

  test("bytes other than declared are refused with CONTENT_MISMATCH and nothing of them is kept", async () => {
    await using t = await startTestServer();
    await t.ingest(ref, historyBatch(0, 1));
    const kept = Buffer.from("the run's other file");
    expect((await t.fetch(apiPaths.file(ref, "notes.txt"), { method: "PUT", body: kept })).status).toBe(201);
    const declared = randomBytes(100_000);
    const corrupted = Buffer.from(declared);
    corrupted[77_777] = (corrupted[77_777] as number) ^ 0xff;
    const answer = await declare(t.url, ref, { path: "data.bin", bytes: declared });
    if (answer.status !== "upload") throw new Error("expected an upload");
    expect((await putPart(t.url, answer.uploadUrl, corrupted, 0, 60_000)).status).toBe(200);
    const refused = await putPart(t.url, answer.uploadUrl, corrupted, 60_000, 40_000);
    expect(await errorOf(refused)).toMatchObject({ status: 422, code: "CONTENT_MISMATCH" });
    expect((await t.fetch(apiPaths.file(ref, "data.bin"))).status).toBe(404);
    expect(blobsOnDisk(t.dataDir)).toEqual([sha256(kept)]);
    expect(nonBlobFilesOnDisk(t.dataDir)).toEqual([]);
    expect((await download(t.url, ref, "notes.txt")).equals(kept)).toBe(true);
    // Declared again, it starts from 0 and succeeds with the right bytes.
    const retry = await declare(t.url, ref, { path: "data.bin", bytes: declared });
    expect(retry).toMatchObject({ status: "upload", received: 0 });
    if (retry.status !== "upload") throw new Error("expected an upload");
    await sendParts(t.url, retry.uploadUrl, declared, 0, retry.partBytes);
    expect((await download(t.url, ref, "data.bin")).equals(declared)).toBe(true);
  });

  test("a whole-body PUT whose x-content-sha256 differs is refused and keeps nothing", async () => {
    await using t = await startTestServer();
    await t.ingest(ref, historyBatch(0, 1));
    const body = Buffer.from("whole body");
    const wrong = await t.fetch(apiPaths.file(ref, "a.txt"), {
      method: "PUT",
      headers: { "x-content-sha256": sha256(Buffer.from("other")) },
      body,
    });
    expect(await errorOf(wrong)).toMatchObject({ status: 422, code: "CONTENT_MISMATCH" });
    expect(blobsOnDisk(t.dataDir)).toEqual([]);
    expect(nonBlobFilesOnDisk(t.dataDir)).toEqual([]);
    const bad = await t.fetch(apiPaths.file(ref, "a.txt"), {
      method: "PUT",
      headers: { "x-content-sha256": "xyz" },
      body,
    });
    const badShaError = await errorOf(bad);
    expect(badShaError).toMatchObject({
      status: 400,
    });
    expect(badShaError.message).toContain("header.x-content-sha256");
    const right = await t.fetch(apiPaths.file(ref, "a.txt"), {
      method: "PUT",
      headers: { "x-content-sha256": sha256(body) },
      body,
    });
    expect(right.status).toBe(201);
    expect((await download(t.url, ref, "a.txt")).equals(body)).toBe(true);
  });

  test("a part that reaches the server while the part before it still arrives waits for it; the file is exact", async () => {
    await using t = await startTestServer();
    await t.ingest(ref, historyBatch(0, 1));
    const bytes = randomBytes(600_000);
    const answer = await declare(t.url, ref, { path: "two.bin", bytes });
    if (answer.status !== "upload") throw new Error("expected an upload");
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = fetch(t.url + answer.uploadUrl, {
      method: "PUT",
      headers: { "content-range": contentRange(0, 300_000, bytes.length) },
      body: new ReadableStream({
        async start(controller) {
          controller.enqueue(bytes.subarray(0, 100_000));
          await held;
          controller.enqueue(bytes.subarray(100_000, 300_000));
          controller.close();
        },
      }),
      duplex: "half",
    });
    const offset = async (): Promise<number> =>
      Number((await fetch(t.url + answer.uploadUrl, { method: "HEAD" })).headers.get(UPLOAD_OFFSET_HEADER));
    while ((await offset()) < 100_000) await new Promise((resolve) => setTimeout(resolve, 10));
    const second = putPart(t.url, answer.uploadUrl, bytes, 300_000, 300_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    release();
    expect(await (await first).json()).toEqual({ status: "partial", received: 300_000 });
    expect(await (await second).json()).toMatchObject({ status: "stored", file: { sha256: sha256(bytes) } });
    expect(sha256(await download(t.url, ref, "two.bin"))).toBe(sha256(bytes));
  });
});

describe("offsets and limits", () => {
  test("a part at another offset is UPLOAD_OFFSET with details.received; oversized parts and files are 413", async () => {
    await using t = await startTestServer({
      maxBodyBytes: 64 * 1024,
      maxDecompressedBytes: 64 * 1024,
      maxFileBytes: 500_000,
    });
    await t.ingest(ref, historyBatch(0, 1));
    const bytes = randomBytes(200_000);
    const answer = await declare(t.url, ref, { path: "big.bin", bytes });
    if (answer.status !== "upload") throw new Error("expected an upload");
    expect(answer.partBytes).toBe(64 * 1024);
    expect((await putPart(t.url, answer.uploadUrl, bytes, 0, 10_000)).status).toBe(200);
    for (const start of [0, 5_000, 20_000]) {
      const refused = await errorOf(await putPart(t.url, answer.uploadUrl, bytes, start, 1_000));
      expect(refused).toMatchObject({ status: 409, code: "UPLOAD_OFFSET", details: { received: 10_000 } });
    }
    const overPart = await errorOf(await putPart(t.url, answer.uploadUrl, bytes, 10_000, 64 * 1024 + 1));
    expect(overPart).toMatchObject({ status: 413, code: "PAYLOAD_TOO_LARGE" });
    const otherTotal = await fetch(t.url + answer.uploadUrl, {
      method: "PUT",
      headers: { "content-range": "bytes 10000-10999/999999" },
      body: bytes.subarray(10_000, 11_000),
    });
    expect(await errorOf(otherTotal)).toMatchObject({ status: 422, code: "CONTENT_MISMATCH" });
    const badRange = await fetch(t.url + answer.uploadUrl, {
      method: "PUT",
      headers: { "content-range": "bytes=0-10" },
      body: "x",
    });
    const badRangeError = await errorOf(badRange);
    expect(badRangeError).toMatchObject({
      status: 400,
    });
    expect(badRangeError.message).toContain("content-range");
    expect(
      (await fetch(t.url + answer.uploadUrl, { method: "HEAD" })).headers.get(UPLOAD_OFFSET_HEADER),
    ).toBe("10000");

    const overFile = await declareRaw(t.url, ref, {
      path: "huge.bin",
      size: 500_001,
      sha256: "0".repeat(64),
    });
    expect(await errorOf(overFile)).toMatchObject({ status: 413, code: "PAYLOAD_TOO_LARGE" });
    const wholeOver = await t.fetch(apiPaths.file(ref, "whole.bin"), {
      method: "PUT",
      body: Buffer.alloc(65 * 1024),
    });
    expect(await errorOf(wholeOver)).toMatchObject({ status: 413, code: "PAYLOAD_TOO_LARGE" });
    expect(nonBlobFilesOnDisk(t.dataDir).filter((f) => !f.startsWith("uploads/"))).toEqual([]);
  });

  test("bad paths, unknown runs and bad declarations are 4xx naming the problem; the run's files stay", async () => {
    await using t = await startTestServer();
    await t.ingest(ref, historyBatch(0, 1));
    const kept = Buffer.from("kept");
    await t.fetch(apiPaths.file(ref, "dir/kept.txt"), { method: "PUT", body: kept });
    const good = { size: 1, sha256: sha256(Buffer.from("x")) };
    const cases: Array<[unknown, number, string]> = [
      [{ ...good, path: "../escape" }, 400, "body.path"],
      [{ ...good, path: "/abs/path" }, 400, "body.path"],
      [{ ...good, path: "a//b" }, 400, "body.path"],
      [{ ...good, path: "a\\b" }, 400, "body.path"],
      [{ ...good, path: "a/./b" }, 400, "body.path"],
      [{ ...good, path: "x".repeat(LIMITS.filePathLength + 1) }, 400, "body.path"],
      [{ ...good, path: `${"n".repeat(256)}.txt` }, 400, "longer than 255 bytes"],
      [{ ...good, path: "ok.txt", sha256: "ABC" }, 400, "body.sha256"],
      [{ ...good, path: "ok.txt", size: -1 }, 400, "body.size"],
      [{ ...good, path: "ok.txt", extra: 1 }, 400, "body"],
      [{ ...good, path: "dir/kept.txt/inner" }, 409, "'dir/kept.txt' is already a file of this run"],
      [{ ...good, path: "dir" }, 409, "'dir' is already a folder"],
    ];
    for (const [body, status, names] of cases) {
      const refused = await errorOf(await declareRaw(t.url, ref, body));
      expect(refused.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(refused.message).toContain(names);
    }
    const unknown = await errorOf(
      await declareRaw(t.url, { ...ref, runId: "nope" }, { ...good, path: "a.txt" }),
    );
    expect(unknown.status).toBe(404);
    expect(unknown.message).toContain("run 'local/p/nope' does not exist");
    const noJson = await fetch(t.url + apiPaths.fileUploads(ref), { method: "POST", body: "{}" });
    expect(noJson.status).toBe(415);
    const { files } = (await (await t.fetch(apiPaths.files(ref))).json()) as { files: { path: string }[] };
    expect(files.map((f) => f.path)).toEqual(["dir/kept.txt"]);
    expect((await download(t.url, ref, "dir/kept.txt")).equals(kept)).toBe(true);
    expect(t.logs.filter((line) => line.startsWith("internal error"))).toEqual([]);
  });
});
