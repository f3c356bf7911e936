/**
 * BlobStore on a local directory. Writes go to a temp file in the same directory tree and are
 * renamed into place, so a reader sees the old file or the new one, never half of one.
 */
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { InvalidDataError } from "@stepwise/protocol";
import type { BlobStore } from "./blob-store.js";

export class LocalBlobStore implements BlobStore {
  private readonly root: string;
  private readonly tmp: string;

  constructor(root: string) {
    this.root = resolve(root);
    this.tmp = join(this.root, ".tmp");
  }

  async put(key: string, body: Readable | Uint8Array): Promise<{ size: number; sha256: string }> {
    const target = this.pathOf(key);
    await mkdir(dirname(target), { recursive: true });
    await mkdir(this.tmp, { recursive: true });
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
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return { size, sha256: hash.digest("hex") };
  }

  async get(key: string): Promise<Readable | null> {
    const path = this.pathOf(key);
    try {
      if (!(await stat(path)).isFile()) return null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
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
