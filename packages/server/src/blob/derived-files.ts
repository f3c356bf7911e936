/**
 * Files the server derives from a blob and keeps beside the file store, named by the blob's
 * sha256: stored tables (`<data>/tables/<sha256[0:2]>/<sha256>.v1.sqlite`, its `.invalid`
 * marker and `.tmp-…` leftovers; store/tables/table-library.ts) and thumbnails
 * (`<data>/thumbnails/<size>/<sha256[0:2]>/<sha256>.webp` or `.small`; media/thumbnail-cache.ts).
 * Garbage collection removes them with the blob they come from; `stepwise server --check`
 * reports those whose blob is gone (derived data: removing them only costs making them again).
 */
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";

export const TABLES_DIR = "tables";
export const THUMBNAILS_DIR = "thumbnails";

const SHA256 = /^[0-9a-f]{64}(?=\.)/;

/** Removes what the server derived from a freed blob. */
export interface DerivedFiles {
  /** Removes every file derived from blob `sha256`; answers how many there were. */
  remove(sha256: string): Promise<number>;
}

export interface DerivedFile {
  path: string;
  /** The blob it was derived from. */
  sha256: string;
}

async function names(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/** The folders that may hold files derived from blobs whose sha256 starts with `prefix`. */
async function foldersFor(dataDir: string, prefix: string | null): Promise<string[]> {
  const roots = [join(dataDir, TABLES_DIR)];
  for (const size of await names(join(dataDir, THUMBNAILS_DIR)))
    roots.push(join(dataDir, THUMBNAILS_DIR, size));
  if (prefix !== null) return roots.map((root) => join(root, prefix));
  const folders: string[] = [];
  for (const root of roots)
    for (const name of await names(root)) if (/^[0-9a-f]{2}$/.test(name)) folders.push(join(root, name));
  return folders;
}

/** Every derived file under `dataDir`, with the blob it comes from. */
export async function* listDerivedFiles(dataDir: string): AsyncIterable<DerivedFile> {
  for (const folder of await foldersFor(dataDir, null))
    for (const name of await names(folder)) {
      const sha256 = SHA256.exec(name)?.[0];
      if (sha256 !== undefined) yield { path: join(folder, name), sha256 };
    }
}

/** Removes the files derived from blob `sha256` under `dataDir`; answers how many. */
export async function removeDerivedFiles(dataDir: string, sha256: string): Promise<number> {
  let removed = 0;
  for (const folder of await foldersFor(dataDir, sha256.slice(0, 2)))
    for (const name of await names(folder))
      if (name.startsWith(`${sha256}.`)) {
        await rm(join(folder, name), { force: true });
        removed++;
      }
  return removed;
}

/**
 * The derived files of a data directory, removed with their blob; `thenForget` lets their owner
 * drop what it holds open (the table library's reader of a removed table).
 */
export function derivedFilesIn(
  dataDir: string,
  thenForget?: (sha256: string) => Promise<void>,
): DerivedFiles {
  return {
    async remove(sha256) {
      const removed = await removeDerivedFiles(dataDir, sha256);
      await thenForget?.(sha256);
      return removed;
    },
  };
}
