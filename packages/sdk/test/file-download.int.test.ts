/**
 * The file client's downloads, and the `Api` client's upload and download on it, against a real
 * server: the bytes written match the sha256 of the original; a download cut short resumes with
 * Range from what it had on disk; a damaged partial file is caught by the sha256 check and never
 * reaches the destination; a missing file is null, an unknown run NotFoundError, a server that
 * is down a retryable UNAVAILABLE.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CorruptDataError, NotFoundError, type RunRef } from "@stepwise/protocol";
import { Api } from "@stepwise/sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  downloadRunFile,
  FileTransferUnavailableError,
  isRetryableFileError,
  uploadRunFile,
} from "../src/files/file-client.js";
import { startTestServer, type TestServer } from "./support/api-server.js";
import { seedRun, sha256Of, targetOf, writeRandomFile, type WrittenFile } from "./support/run-files.js";
import { freePort } from "./support/server-process.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();
let server: TestServer;
const ref = (runId: string): RunRef => ({ entity: "team", project: "files", runId });
const SIZE = 4 * 1024 * 1024 + 17;

beforeEach(async () => {
  server = await startTestServer();
  await seedRun(server.url, ref("r1"));
});
afterEach(async () => server.close());

async function uploaded(name: string, size = SIZE): Promise<WrittenFile> {
  const written = writeRandomFile(tempDir(), name, size);
  await uploadRunFile(targetOf(server.url), ref("r1"), {
    path: `out/${name}`,
    source: { kind: "local", path: written.path },
    size,
    sha256: written.sha256,
  });
  return written;
}

/** Downloads until `stopAt` bytes are on their way, then aborts; leaves the partial file. */
async function cutDownload(path: string, destination: string, stopAt: number): Promise<void> {
  const controller = new AbortController();
  const error = await downloadRunFile(targetOf(server.url), ref("r1"), path, destination, {
    signal: controller.signal,
    onProgress: (done) => {
      if (done >= stopAt) controller.abort(new Error("cut by the test"));
    },
  }).then(
    () => null,
    (reason: unknown) => reason,
  );
  expect((error as Error | null)?.message).toBe("cut by the test");
}

describe("downloadRunFile", () => {
  it("writes the file's bytes, returns its description, and leaves no partial file", async () => {
    const written = await uploaded("w.bin");
    const dir = tempDir();
    const file = await downloadRunFile(
      targetOf(server.url),
      ref("r1"),
      "out/w.bin",
      join(dir, "sub", "w.bin"),
    );
    expect(file).toMatchObject({ path: "out/w.bin", size: SIZE, sha256: written.sha256 });
    expect(sha256Of(readFileSync(join(dir, "sub", "w.bin")))).toBe(written.sha256);
    expect(readdirSync(join(dir, "sub"))).toEqual(["w.bin"]);
  });

  it("resumes a download cut short with Range, from what it had on disk", async () => {
    const written = await uploaded("r.bin");
    const destination = join(tempDir(), "r.bin");
    await cutDownload("out/r.bin", destination, SIZE / 2);
    expect(existsSync(destination)).toBe(false);
    const progress: number[] = [];
    const file = await downloadRunFile(targetOf(server.url), ref("r1"), "out/r.bin", destination, {
      onProgress: (done) => progress.push(done),
    });
    // The first bytes counted start past what the first try left on disk.
    expect(progress[0]).toBeGreaterThan(SIZE / 4);
    expect(file?.sha256).toBe(written.sha256);
    expect(sha256Of(readFileSync(destination))).toBe(written.sha256);
  });

  it("refuses a resumed download whose bytes do not hash to the server's sha256; the next one starts afresh", async () => {
    const written = await uploaded("d.bin");
    const dir = tempDir();
    const destination = join(dir, "d.bin");
    await cutDownload("out/d.bin", destination, SIZE / 2);
    const [partial] = readdirSync(dir);
    if (partial === undefined) throw new Error("the cut download left no partial file");
    const damaged = readFileSync(join(dir, partial));
    damaged[10] = (damaged[10] ?? 0) ^ 0xff;
    writeFileSync(join(dir, partial), damaged);
    await expect(
      downloadRunFile(targetOf(server.url), ref("r1"), "out/d.bin", destination),
    ).rejects.toBeInstanceOf(CorruptDataError);
    expect(readdirSync(dir)).toEqual([]);
    await downloadRunFile(targetOf(server.url), ref("r1"), "out/d.bin", destination);
    expect(sha256Of(readFileSync(destination))).toBe(written.sha256);
  });

  it("downloads an empty file", async () => {
    await uploaded("empty.bin", 0);
    const destination = join(tempDir(), "empty.bin");
    const file = await downloadRunFile(targetOf(server.url), ref("r1"), "out/empty.bin", destination);
    expect(file).toMatchObject({ size: 0, sha256: sha256Of(new Uint8Array(0)) });
    expect(readFileSync(destination).length).toBe(0);
  });

  it("is null for a file the run does not have, NotFoundError for a run the server does not have", async () => {
    const destination = join(tempDir(), "x");
    await expect(
      downloadRunFile(targetOf(server.url), ref("r1"), "nope.txt", destination),
    ).resolves.toBeNull();
    await expect(
      downloadRunFile(targetOf(server.url), ref("no-such-run"), "nope.txt", destination),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(existsSync(destination)).toBe(false);
  });

  it("fails with a retryable UNAVAILABLE when no server answers", async () => {
    const down = `http://127.0.0.1:${await freePort()}`;
    const error = await downloadRunFile(targetOf(down), ref("r1"), "a.txt", join(tempDir(), "a.txt")).then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(FileTransferUnavailableError);
    expect((error as FileTransferUnavailableError).code).toBe("UNAVAILABLE");
    expect((error as Error).message).toContain(down);
    expect(isRetryableFileError(error)).toBe(true);
  });
});

describe("Api files", () => {
  it("run.upload() stores a local file under its name; file.download() brings the same bytes back", async () => {
    const written = writeRandomFile(tempDir(), "ckpt.pt", 3 * 1024 * 1024 + 1);
    const api = new Api({ baseUrl: server.url, env: {} });
    const run = await api.run("team/files/r1");
    const stored = await run.upload(written.path, { name: "model/ckpt.pt" });
    expect({ path: stored.path, size: stored.size, sha256: stored.sha256 }).toEqual({
      path: "model/ckpt.pt",
      size: written.bytes.length,
      sha256: written.sha256,
    });
    const byDefault = await run.upload(written.path);
    expect(byDefault.path).toBe("ckpt.pt");
    expect((await run.files()).map((file) => file.path).sort()).toEqual(["ckpt.pt", "model/ckpt.pt"]);
    const root = tempDir();
    const local = await run.file("model/ckpt.pt").download({ root });
    expect(local).toBe(join(root, "model", "ckpt.pt"));
    expect(sha256Of(readFileSync(local))).toBe(written.sha256);
    await expect(run.upload(join(root, "missing.bin"))).rejects.toBeInstanceOf(NotFoundError);
  });
});
