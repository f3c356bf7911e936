/**
 * BlobStore on a local directory. Writes go to a temp file in the same directory tree and are
 * renamed into place, so a reader sees the old file or the new one, never half of one. Puts to
 * one key replace it one at a time (each its `beforeReplace`, then its rename), so the last
 * record written describes the bytes that stay. File
 * system refusals become typed errors: a full disk is StorageFullError (nothing kept, retry
 * later), a path that collides with a stored one or is too long is BlobKeyError.
 */
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { InvalidDataError } from "@stepwise/protocol";
import { errorCode, isFullDiskErrno, storageFullError } from "../storage/storage-full.js";
import { BlobKeyError, type BlobStore, type WrittenBlob } from "./blob-store.js";

/** Longest file or folder name, in bytes, that Linux file systems (ext4, xfs, btrfs, tmpfs) take. */
export const MAX_NAME_BYTES = 255;
/** Longest path, in bytes, that a Linux system call takes (PATH_MAX, the terminating NUL included). */
const MAX_PATH_BYTES = 4095;

export class LocalBlobStore implements BlobStore {
  private readonly root: string;
  private readonly tmp: string;
  /** Per target file, the last replacement queued: the next one waits for it. */
  private readonly replacing = new Map<string, Promise<void>>();

  constructor(root: string) {
    this.root = resolve(root);
    this.tmp = join(this.root, ".tmp");
  }

  async put(
    key: string,
    body: Readable | Uint8Array,
    beforeReplace?: (written: WrittenBlob) => Promise<void>,
  ): Promise<WrittenBlob> {
    const target = this.pathOf(key);
    this.checkNameLengths(key, target);
    try {
      await mkdir(dirname(target), { recursive: true });
      await mkdir(this.tmp, { recursive: true });
      // Checked before anything is written: `beforeReplace` must not record a file that the
      // rename would then refuse.
      if (await isDirectory(target)) throw new BlobKeyError("folder-in-the-way", key, key);
    } catch (error) {
      throw await this.writeError(error, key);
    }
    const temp = join(this.tmp, randomBytes(12).toString("hex"));
    const hash = createHash("sha256");
    let size = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        size += chunk.length;
        callback(null, chunk);
      },
    });
    const source = body instanceof Readable ? body : Readable.from([body]);
    try {
      await pipeline(source, measure, createWriteStream(temp));
      await syncFile(temp);
      const written = { size, sha256: hash.digest("hex") };
      await this.oneAtATime(target, async () => {
        await beforeReplace?.(written);
        await rename(temp, target);
      });
      return written;
    } catch (error) {
      await rm(temp, { force: true });
      throw await this.writeError(error, key);
    }
  }

  /**
   * Runs `replace` after every replacement of `target` queued before it has finished: two puts
   * must not interleave as record A, record B, rename B, rename A (record B over A's bytes).
   */
  private async oneAtATime(target: string, replace: () => Promise<void>): Promise<void> {
    const before = this.replacing.get(target) ?? Promise.resolve();
    const done = before.then(replace);
    const settled = done.then(
      () => undefined,
      () => undefined,
    );
    this.replacing.set(target, settled);
    try {
      await done;
    } finally {
      if (this.replacing.get(target) === settled) this.replacing.delete(target);
    }
  }

  async get(key: string): Promise<Readable | null> {
    const path = this.pathOf(key);
    try {
      if (!(await stat(path)).isFile()) return null;
    } catch (error) {
      // A part of the key is a file (ENOTDIR) or a name is too long: no such blob either way.
      if (["ENOENT", "ENOTDIR", "ENAMETOOLONG"].includes(errorCode(error) ?? "")) return null;
      throw error;
    }
    return createReadStream(path);
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async close(): Promise<void> {
    await rm(this.tmp, { recursive: true, force: true });
  }

  /** Callers validate keys; this check is the second line, so that no key can leave the root. */
  private pathOf(key: string): string {
    const segments = key.split("/");
    if (segments.some((s) => s === "" || s === "." || s === ".." || s.includes("\\") || s.includes("\0")))
      throw new InvalidDataError(`blob key '${key}' is not a relative '/'-separated path`);
    const path = resolve(this.root, ...segments);
    if (!path.startsWith(this.root + sep) || path.startsWith(this.tmp + sep))
      throw new InvalidDataError(`blob key '${key}' points outside the file store`);
    return path;
  }

  /** Refuses names the file system would refuse, before anything is written. */
  private checkNameLengths(key: string, path: string): void {
    const segments = key.split("/");
    const long = segments.findIndex((s) => Buffer.byteLength(s) > MAX_NAME_BYTES);
    if (long >= 0) throw new BlobKeyError("name-too-long", key, segments.slice(0, long + 1).join("/"));
    if (Buffer.byteLength(path) > MAX_PATH_BYTES) throw new BlobKeyError("name-too-long", key, key);
  }

  /** What a failed write means for the client; errors that are not the client's pass through. */
  private async writeError(error: unknown, key: string): Promise<unknown> {
    if (isFullDiskErrno(error)) return storageFullError("the file store", this.root, errorCode(error) ?? "");
    switch (errorCode(error)) {
      case "EISDIR":
        return new BlobKeyError("folder-in-the-way", key, key);
      case "EEXIST":
      case "ENOTDIR":
        return new BlobKeyError("file-in-the-way", key, (await this.fileAbove(key)) ?? key);
      case "ENAMETOOLONG":
        return new BlobKeyError("name-too-long", key, key);
      default:
        return error;
    }
  }

  /** The first part of `key` that is a stored file, when a folder is needed there. */
  private async fileAbove(key: string): Promise<string | null> {
    const segments = key.split("/");
    for (let end = 1; end < segments.length; end++) {
      const part = segments.slice(0, end).join("/");
      try {
        if ((await stat(this.pathOf(part))).isFile()) return part;
      } catch {
        return null;
      }
    }
    return null;
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (error) {
    if (errorCode(error) === "ENOENT") return false;
    throw error;
  }
}

/** Acknowledged files survive a power loss: their data reaches the disk before the rename. */
async function syncFile(path: string): Promise<void> {
  const handle = await open(path, "r+");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
