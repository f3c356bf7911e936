/**
 * The file client's uploads against a real server (127.0.0.1, temp data dir): a file in several
 * parts, an empty file, content the server has already (nothing sent), an upload cut by an abort
 * and resumed from the server's offset, two uploads of one file at once, and a file that changes
 * while it is sent. Every check reads the server's copy back and compares it with the sha256 of
 * the bytes the test wrote.
 */
import { truncateSync, writeFileSync } from "node:fs";
import { ContentMismatchError, type RunRef } from "@stepwise/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  FileChangedError,
  hashFileSource,
  isRetryableFileError,
  uploadRunFile,
} from "../src/files/file-client.js";
import { startTestServer, type TestServer } from "./support/api-server.js";
import { seedRun, serverBytes, sha256Of, targetOf, writeRandomFile } from "./support/run-files.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();
let server: TestServer;
const ref = (runId: string): RunRef => ({ entity: "team", project: "files", runId });
/** Parts of 256 KiB, so a file of a few MiB travels in many parts. */
const PART = 256 * 1024;

beforeEach(async () => {
  server = await startTestServer();
  await seedRun(server.url, ref("r1"));
});
afterEach(async () => server.close());

describe("uploadRunFile", () => {
  it("sends a file larger than one part in parts; the server holds exactly the bytes written", async () => {
    const written = writeRandomFile(tempDir(), "weights.bin", 5 * PART + 123);
    const seen: number[] = [];
    const result = await uploadRunFile(
      targetOf(server.url),
      ref("r1"),
      {
        path: "model/weights.bin",
        source: { kind: "local", path: written.path },
        size: written.bytes.length,
        sha256: written.sha256,
      },
      { partBytes: PART, onProgress: (sent) => seen.push(sent) },
    );
    expect(result).toMatchObject({ deduplicated: false, bytesSent: written.bytes.length });
    expect(result.file).toMatchObject({
      path: "model/weights.bin",
      size: written.bytes.length,
      sha256: written.sha256,
    });
    expect(sha256Of((await serverBytes(server.url, ref("r1"), "model/weights.bin")) ?? Buffer.alloc(0))).toBe(
      written.sha256,
    );
    // Progress rises to the whole file, never past it.
    expect(Math.max(...seen)).toBe(written.bytes.length);
    expect(seen.every((sent, i) => i === 0 || sent >= (seen[i - 1] ?? 0))).toBe(true);
  });

  it("uploads an empty file", async () => {
    const empty = sha256Of(new Uint8Array(0));
    const result = await uploadRunFile(targetOf(server.url), ref("r1"), {
      path: "empty.txt",
      source: { kind: "bytes", bytes: new Uint8Array(0) },
      size: 0,
      sha256: empty,
    });
    expect(result.file).toMatchObject({ path: "empty.txt", size: 0, sha256: empty });
    expect(result.bytesSent).toBe(0);
    expect(await serverBytes(server.url, ref("r1"), "empty.txt")).toEqual(Buffer.alloc(0));
  });

  it("sends nothing for content the server already holds, for another path and another run", async () => {
    await seedRun(server.url, ref("r2"));
    const written = writeRandomFile(tempDir(), "data.bin", 3 * PART);
    const file = {
      source: { kind: "local" as const, path: written.path },
      size: written.bytes.length,
      sha256: written.sha256,
    };
    const first = await uploadRunFile(
      targetOf(server.url),
      ref("r1"),
      { path: "a.bin", ...file },
      { partBytes: PART },
    );
    expect(first.deduplicated).toBe(false);
    const second = await uploadRunFile(targetOf(server.url), ref("r2"), { path: "copy/b.bin", ...file });
    expect(second).toMatchObject({ deduplicated: true, bytesSent: 0 });
    expect(second.file).toMatchObject({
      path: "copy/b.bin",
      size: written.bytes.length,
      sha256: written.sha256,
    });
    expect(sha256Of((await serverBytes(server.url, ref("r2"), "copy/b.bin")) ?? Buffer.alloc(0))).toBe(
      written.sha256,
    );
  });

  it("resumes an upload cut short from the server's offset, not from byte 0", async () => {
    const written = writeRandomFile(tempDir(), "big.bin", 12 * PART + 7);
    const file = {
      path: "big.bin",
      source: { kind: "local" as const, path: written.path },
      size: written.bytes.length,
      sha256: written.sha256,
    };
    const controller = new AbortController();
    const cut = uploadRunFile(targetOf(server.url), ref("r1"), file, {
      partBytes: PART,
      signal: controller.signal,
      onProgress: (sent) => {
        if (sent >= 6 * PART + 1000) controller.abort(new Error("cut by the test"));
      },
    });
    const error = await cut.then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe("cut by the test");
    expect(isRetryableFileError(error)).toBe(false);
    expect(await serverBytes(server.url, ref("r1"), "big.bin")).toBeNull();
    const resumed = await uploadRunFile(targetOf(server.url), ref("r1"), file, { partBytes: PART });
    expect(resumed.deduplicated).toBe(false);
    // At least the five parts before the cut stayed on the server.
    expect(resumed.bytesSent).toBeLessThanOrEqual(written.bytes.length - 5 * PART);
    expect(resumed.bytesSent).toBeGreaterThan(0);
    expect(sha256Of((await serverBytes(server.url, ref("r1"), "big.bin")) ?? Buffer.alloc(0))).toBe(
      written.sha256,
    );
  });

  it("finishes two uploads of the same file at once, each going on from where the other left the server", async () => {
    const written = writeRandomFile(tempDir(), "twice.bin", 8 * PART);
    const file = {
      path: "twice.bin",
      source: { kind: "local" as const, path: written.path },
      size: written.bytes.length,
      sha256: written.sha256,
    };
    const results = await Promise.all([
      uploadRunFile(targetOf(server.url), ref("r1"), file, { partBytes: PART }),
      uploadRunFile(targetOf(server.url), ref("r1"), file, { partBytes: PART }),
    ]);
    for (const result of results) expect(result.file.sha256).toBe(written.sha256);
    expect(sha256Of((await serverBytes(server.url, ref("r1"), "twice.bin")) ?? Buffer.alloc(0))).toBe(
      written.sha256,
    );
  });

  it("reports a file changed while it was sent as FileChangedError with its new content, and keeps nothing", async () => {
    const written = writeRandomFile(tempDir(), "moving.bin", 6 * PART);
    const changed = Buffer.from(written.bytes);
    changed.fill(7, 4 * PART);
    let rewritten = false;
    const upload = uploadRunFile(
      targetOf(server.url),
      ref("r1"),
      {
        path: "moving.bin",
        source: { kind: "local", path: written.path },
        size: written.bytes.length,
        sha256: written.sha256,
      },
      {
        partBytes: PART,
        onProgress: (sent) => {
          if (!rewritten && sent >= 2 * PART) {
            rewritten = true;
            writeFileSync(written.path, changed);
          }
        },
      },
    );
    const error = await upload.then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(FileChangedError);
    expect(error).toBeInstanceOf(ContentMismatchError);
    expect((error as FileChangedError).current).toEqual({ size: changed.length, sha256: sha256Of(changed) });
    expect(isRetryableFileError(error)).toBe(false);
    expect(await serverBytes(server.url, ref("r1"), "moving.bin")).toBeNull();
    // Declared as it is now, it goes through.
    const now = await hashFileSource({ kind: "local", path: written.path });
    const again = await uploadRunFile(
      targetOf(server.url),
      ref("r1"),
      { path: "moving.bin", source: { kind: "local", path: written.path }, ...now },
      { partBytes: PART },
    );
    expect(sha256Of((await serverBytes(server.url, ref("r1"), "moving.bin")) ?? Buffer.alloc(0))).toBe(
      sha256Of(changed),
    );
    expect(again.file.sha256).toBe(sha256Of(changed));
  });

  it("reports a file that shrinks while it is sent as FileChangedError", async () => {
    const written = writeRandomFile(tempDir(), "shrinking.bin", 6 * PART);
    let cut = false;
    const error = await uploadRunFile(
      targetOf(server.url),
      ref("r1"),
      {
        path: "shrinking.bin",
        source: { kind: "local", path: written.path },
        size: written.bytes.length,
        sha256: written.sha256,
      },
      {
        partBytes: PART,
        onProgress: (sent) => {
          if (!cut && sent >= PART) {
            cut = true;
            truncateSync(written.path, 2 * PART + 10);
          }
        },
      },
    ).then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(FileChangedError);
    expect((error as FileChangedError).current?.size).toBe(2 * PART + 10);
    expect(await serverBytes(server.url, ref("r1"), "shrinking.bin")).toBeNull();
  });

  it("hashes a local file as a stream: size and sha256 of the bytes written", async () => {
    const written = writeRandomFile(tempDir(), "hash.bin", 3 * PART + 5);
    await expect(hashFileSource({ kind: "local", path: written.path })).resolves.toEqual({
      size: written.bytes.length,
      sha256: written.sha256,
    });
  });
});
