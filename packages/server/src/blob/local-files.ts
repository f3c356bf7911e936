/**
 * File system steps the local blob store shares: durable writes (fsync of a file, and of the
 * folder that a rename changed), placing a finished temp file as the blob of its sha256, and
 * turning a full disk into StorageFullError.
 */
import { mkdir, open, rename, rm, stat, utimes } from "node:fs/promises";
import { dirname } from "node:path";
import { errorCode, isFullDiskErrno, storageFullError } from "../storage/storage-full.js";

/** Data of `path` reaches the disk before anything refers to it. */
export async function syncFile(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A rename or a new entry in `dir` survives a power loss. */
export async function syncDirectory(dir: string): Promise<void> {
  try {
    await syncFile(dir);
  } catch (error) {
    // Some file systems refuse fsync on a directory (EINVAL/EISDIR); the rename stands anyway.
    if (!["EINVAL", "EISDIR", "EPERM"].includes(errorCode(error) ?? "")) throw error;
  }
}

/**
 * Moves the synced file `source` to `target` unless `target` exists already (the same content:
 * the name is its sha256), in which case `source` is removed and `target`'s modification time
 * renewed, so that garbage collection sees the blob as young again.
 */
export async function placeBlob(source: string, target: string): Promise<void> {
  if (await exists(target)) {
    await rm(source, { force: true });
    const now = new Date();
    await utimes(target, now, now).catch((error: unknown) => {
      if (errorCode(error) !== "ENOENT") throw error;
    });
    if (await exists(target)) return;
    throw new Error(`blob ${target} was removed while it was being stored again; send it again`);
  }
  await mkdir(dirname(target), { recursive: true });
  await rename(source, target);
  await syncDirectory(dirname(target));
}

export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (["ENOENT", "ENOTDIR"].includes(errorCode(error) ?? "")) return false;
    throw error;
  }
}

/** A full disk as StorageFullError (retryable); other errors unchanged. */
export function asWriteError(error: unknown, root: string): unknown {
  return isFullDiskErrno(error) ? storageFullError("the file store", root, errorCode(error) ?? "") : error;
}
