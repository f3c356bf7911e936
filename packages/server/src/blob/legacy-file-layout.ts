/**
 * Data directories written before blobs were content-addressed kept each run file at
 * `files/runs/<entity>/<project>/<run id>/files/<path>`. Opening such a directory moves every
 * file found there into the blob store by its content (stored first, removed from the old place
 * after), so nothing accepted is lost, a crash midway is finished by the next start, and the
 * file records (which already hold each file's sha256) point at their blobs. A file whose bytes
 * no longer match its record is kept as a blob of what it holds; `stepwise server --check`
 * then reports that record as damaged, as it did before.
 */
import { createReadStream } from "node:fs";
import { readdir, rm, rmdir } from "node:fs/promises";
import { join } from "node:path";
import { errorCode } from "../storage/storage-full.js";
import type { BlobStore } from "./blob-store.js";

/** The old layout's folder under the file store's root. */
export const LEGACY_RUNS_DIR = "runs";

/** Moves the old layout's files into `blobs`; resolves to how many it moved. */
export async function migrateLegacyFiles(root: string, blobs: BlobStore): Promise<number> {
  const top = join(root, LEGACY_RUNS_DIR);
  const moved = await moveTree(top, blobs);
  await rm(top, { recursive: true, force: true });
  return moved;
}

async function moveTree(dir: string, blobs: BlobStore): Promise<number> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (errorCode(error) === "ENOENT") return 0;
    throw error;
  }
  let moved = 0;
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) moved += await moveTree(path, blobs);
    else if (entry.isFile()) {
      await blobs.put(createReadStream(path));
      await rm(path);
      moved++;
    }
  }
  await rmdir(dir).catch(() => undefined);
  return moved;
}
