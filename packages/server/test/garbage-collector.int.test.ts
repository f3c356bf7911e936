/**
 * Garbage collection of uploads nobody finished, on a real SQLite store and local blob store
 * with a moved clock: an upload is removed (record and staged bytes) once its expiry passed and
 * not before; staged bytes a crash left without a record, and stale temp files, go after the
 * grace period; a declaration after that starts from byte 0.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterEach, expect, test } from "vitest";
import type { RunRef } from "@stepwise/protocol";
import { collectGarbage } from "../src/blob/garbage-collector.js";
import { LocalBlobStore } from "../src/blob/local-blob-store.js";
import { RunFileChannel, UPLOAD_TTL_S } from "../src/blob/run-file-channel.js";
import { UrlSigner } from "../src/blob/url-signer.js";
import { openSqliteStore } from "../src/store/sqlite/open-sqlite-store.js";
import { nonBlobFilesOnDisk, sha256 } from "./support/file-uploads.js";

const ref: RunRef = { entity: "local", project: "p", runId: "gc" };
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

test("expired uploads, staged bytes without a record and stale temp files are removed, and only they", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "stepwise-gc-"));
  dirs.push(dataDir);
  const store = await openSqliteStore(join(dataDir, "stepwise.db"));
  const blobs = new LocalBlobStore(join(dataDir, "files"), new UrlSigner(randomBytes(32)));
  const start = Date.now() / 1000;
  let now = start;
  const channel = new RunFileChannel(store, blobs, 1024 ** 3, 1024 ** 2, () => now);
  try {
    const bytes = randomBytes(10_000);
    const request = { path: "ckpt.bin", size: bytes.length, sha256: sha256(bytes) };
    const answer = await channel.declare(ref, request);
    if (answer.status !== "upload") throw new Error("expected an upload");
    await channel.receivePart(
      answer.uploadId,
      { start: 0, length: 4_000, total: bytes.length },
      Readable.from([bytes.subarray(0, 4_000)]),
    );
    // Staged bytes without a record (a crash between the two), and a temp file of a cut write.
    const orphan = await blobs.beginUpload({ size: 1, sha256: sha256(Buffer.from("x")) });
    mkdirSync(join(dataDir, "files", ".tmp"), { recursive: true });
    writeFileSync(join(dataDir, "files", ".tmp", "cut-write"), "partial");
    const hourAgo = new Date((start - 3700) * 1000);
    utimesSync(join(dataDir, "files", "uploads", orphan), hourAgo, hourAgo);
    utimesSync(join(dataDir, "files", ".tmp", "cut-write"), hourAgo, hourAgo);

    const first = await collectGarbage(store, blobs, { now });
    expect(first).toMatchObject({ uploadsRemoved: 1, uploadBytesFreed: 0, freed: [] });
    expect(nonBlobFilesOnDisk(dataDir)).toEqual([`uploads/${answer.uploadId}`]);
    expect(await channel.received(answer.uploadId)).toBe(4_000);

    now = start + UPLOAD_TTL_S - 60;
    expect((await collectGarbage(store, blobs, { now })).uploadsRemoved).toBe(0);
    now = start + UPLOAD_TTL_S + 60;
    expect(await collectGarbage(store, blobs, { now })).toMatchObject({
      uploadsRemoved: 1,
      uploadBytesFreed: 4_000,
    });
    expect(nonBlobFilesOnDisk(dataDir)).toEqual([]);
    await expect(channel.received(answer.uploadId)).rejects.toMatchObject({ code: "NOT_FOUND" });
    const again = await channel.declare(ref, request);
    expect(again).toMatchObject({ status: "upload", received: 0 });
    expect(again.status === "upload" && again.uploadId).not.toBe(answer.uploadId);
  } finally {
    await store.close();
  }
});
