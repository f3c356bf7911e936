/**
 * BlobStore on a local directory (`<data>/files`): blobs at `blobs/sha256/ab/abcdef…` (the
 * first two hex digits as a folder, so no folder holds more than 1/256 of them), staged
 * uploads at `uploads/<id>`, writes in progress at `.tmp/`. A write streams to a temp file
 * while hashing, is synced, then renamed into place (and the folder synced), so a reader sees
 * a whole blob or none, and an acknowledged blob survives a power loss. A full disk is
 * StorageFullError (nothing kept; retry later).
 */
import { randomBytes } from "node:crypto";
import {
  createReadStream,
  createWriteStream,
  statSync,
  unlinkSync,
  utimesSync,
  type WriteStream,
} from "node:fs";
import { mkdir, readdir, rm, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ContentMismatchError, InvalidDataError, SHA256_HEX, StepwiseError } from "@stepwise/protocol";
import { errorCode } from "../storage/storage-full.js";
import type {
  BlobExpectation,
  BlobInfo,
  BlobStore,
  ByteRange,
  StagedUploadInfo,
  WrittenBlob,
} from "./blob-store.js";
import { asWriteError, placeBlob, syncFile } from "./local-files.js";
import { LocalStagedUploads } from "./local-staged-uploads.js";
import { MeasuringStream } from "./measuring-stream.js";
import type { UrlSigner } from "./url-signer.js";

export class LocalBlobStore implements BlobStore {
  readonly root: string;
  private readonly blobs: string;
  private readonly tmp: string;
  private readonly uploads: LocalStagedUploads;

  constructor(
    root: string,
    private readonly signer: UrlSigner,
  ) {
    this.root = resolve(root);
    this.blobs = join(this.root, "blobs", "sha256");
    this.tmp = join(this.root, ".tmp");
    this.uploads = new LocalStagedUploads(join(this.root, "uploads"), (source, sha256) =>
      placeBlob(source, this.pathOf(sha256)),
    );
  }

  async put(body: Readable | Uint8Array, expect: BlobExpectation = {}): Promise<WrittenBlob> {
    if (expect.sha256 !== undefined) checkSha256(expect.sha256);
    const temp = join(this.tmp, randomBytes(12).toString("hex"));
    const max = Math.min(expect.maxBytes ?? Number.MAX_SAFE_INTEGER, expect.size ?? Number.MAX_SAFE_INTEGER);
    const measure = new MeasuringStream(max, () =>
      expect.size !== undefined && max === expect.size
        ? new ContentMismatchError(
            `the body is longer than the declared ${expect.size} bytes; nothing of it was kept`,
          )
        : fileTooLarge(max),
    );
    let file: WriteStream | undefined;
    try {
      await mkdir(this.tmp, { recursive: true });
      const source = body instanceof Readable ? body : Readable.from([body]);
      file = createWriteStream(temp);
      await pipeline(source, measure, file);
      const written = { size: measure.size, sha256: measure.hash.digest("hex") };
      mismatch(written, expect);
      await syncFile(temp);
      await placeBlob(temp, this.pathOf(written.sha256));
      return written;
    } catch (error) {
      // A body refused early can fail the pipeline while the temp file is still being opened:
      // wait for the stream to close, or the file would appear after it was removed.
      await closed(file);
      await rm(temp, { force: true });
      throw asWriteError(error, this.root);
    }
  }

  async head(sha256: string): Promise<BlobInfo | null> {
    try {
      const info = await stat(this.pathOf(sha256));
      return { sha256, size: info.size, modifiedAt: info.mtimeMs / 1000 };
    } catch (error) {
      if (errorCode(error) === "ENOENT") return null;
      throw error;
    }
  }

  async get(sha256: string, range?: ByteRange): Promise<Readable | null> {
    if ((await this.head(sha256)) === null) return null;
    return createReadStream(this.pathOf(sha256), range === undefined ? {} : range);
  }

  async *list(): AsyncIterable<BlobInfo> {
    for (const folder of await listDir(this.blobs)) {
      for (const name of await listDir(join(this.blobs, folder))) {
        if (!SHA256_HEX.test(name)) continue;
        const info = await this.head(name);
        if (info !== null) yield info;
      }
    }
  }

  async delete(sha256: string): Promise<void> {
    await rm(this.pathOf(sha256), { force: true });
  }

  /**
   * Renews the blob's modification time; false when it is not stored. Synchronous so that it
   * can run inside the store's write transaction (the check-and-record that garbage collection
   * cannot interleave with).
   */
  touchSync(sha256: string): boolean {
    const now = new Date();
    try {
      utimesSync(this.pathOf(sha256), now, now);
      return true;
    } catch (error) {
      if (errorCode(error) === "ENOENT") return false;
      throw error;
    }
  }

  /** Removes the blob if it was last written before `before` (unix seconds); true when it did. */
  deleteIfOlderSync(sha256: string, before: number): boolean {
    const path = this.pathOf(sha256);
    try {
      if (statSync(path).mtimeMs / 1000 >= before) return false;
      unlinkSync(path);
      return true;
    } catch (error) {
      if (errorCode(error) === "ENOENT") return false;
      throw error;
    }
  }

  /** Temp files older than `before` (unix seconds) left by writes a crash cut short; removes them. */
  async removeStaleTemps(before: number): Promise<number> {
    let removed = 0;
    for (const name of await listDir(this.tmp)) {
      const path = join(this.tmp, name);
      const info = await stat(path).catch(() => null);
      if (info !== null && info.mtimeMs / 1000 < before) {
        await rm(path, { force: true, recursive: true });
        removed++;
      }
    }
    return removed;
  }

  /** Locally the expectation is checked at completion only (an S3 store names the object by it). */
  beginUpload(_expect: { size: number; sha256: string }): Promise<string> {
    return this.writing(() => this.uploads.begin());
  }
  uploadStatus(id: string): Promise<StagedUploadInfo | null> {
    return this.uploads.status(id);
  }
  appendUpload(id: string, offset: number, body: Readable, maxBytes: number): Promise<number> {
    return this.writing(() => this.uploads.append(id, offset, body, maxBytes));
  }
  completeUpload(id: string, expect: { size: number; sha256: string }): Promise<WrittenBlob> {
    checkSha256(expect.sha256);
    return this.writing(() => this.uploads.complete(id, (written) => mismatch(written, expect)));
  }
  abortUpload(id: string): Promise<void> {
    return this.uploads.abort(id);
  }
  listUploads(): AsyncIterable<StagedUploadInfo> {
    return this.uploads.list();
  }

  uploadUrl(id: string, expiresAt: number): string {
    return this.signer.url("upload", id, expiresAt);
  }
  downloadUrl(sha256: string, expiresAt: number): string {
    checkSha256(sha256);
    return this.signer.url("download", sha256, expiresAt);
  }

  close(): Promise<void> {
    // Nothing to release. Temp files are not removed here: another process (a `--gc` beside a
    // running server) may be writing them; garbage collection removes stale ones.
    return Promise.resolve();
  }

  /** Runs a write; a full disk becomes StorageFullError. */
  private async writing<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw asWriteError(error, this.root);
    }
  }

  pathOf(sha256: string): string {
    checkSha256(sha256);
    return join(this.blobs, sha256.slice(0, 2), sha256);
  }
}

/** PAYLOAD_TOO_LARGE for a file over the server's limit. */
export function fileTooLarge(max: number): StepwiseError {
  return new StepwiseError(
    "PAYLOAD_TOO_LARGE",
    `the file is larger than the server's limit of ${max} bytes (--max-file-bytes); nothing of it was kept`,
  );
}

export function checkSha256(sha256: string): void {
  if (!SHA256_HEX.test(sha256))
    throw new InvalidDataError(
      `blob key '${sha256.slice(0, 80)}' is not a sha256 digest (64 lowercase hex digits)`,
    );
}

/** Throws ContentMismatchError when `written` is not what `expect` declared. */
export function mismatch(written: WrittenBlob, expect: { size?: number; sha256?: string }): void {
  if (expect.size !== undefined && written.size !== expect.size)
    throw new ContentMismatchError(
      `the content has ${written.size} bytes, not the declared ${expect.size}; nothing of it was kept. Read the file again (it may have changed while it was sent) and declare it again`,
    );
  if (expect.sha256 !== undefined && written.sha256 !== expect.sha256)
    throw new ContentMismatchError(
      `the content's sha256 is ${written.sha256}, not the declared ${expect.sha256}; nothing of it was kept. Read the file again (it may have changed while it was sent) and declare it again`,
    );
}

async function listDir(path: string): Promise<string[]> {
  try {
    return await readdir(path);
  } catch (error) {
    if (errorCode(error) === "ENOENT") return [];
    throw error;
  }
}

/** Resolves once a write stream (destroyed or finished) has closed its file. */
function closed(file: WriteStream | undefined): Promise<void> {
  if (file === undefined || file.closed) return Promise.resolve();
  return new Promise((resolve) => file.once("close", () => resolve()));
}
