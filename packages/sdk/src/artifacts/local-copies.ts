/**
 * The file operations downloads and verification share: is a file there with a size, what is
 * its sha256, copy a checked object into place, and run work on items a bounded number at once.
 */
import { createHash } from "node:crypto";
import { constants, createReadStream } from "node:fs";
import { copyFile, mkdir, stat } from "node:fs/promises";
import { dirname } from "node:path";

/** Files fetched, copied or hashed at once by a download or a verification. */
export const FILES_IN_FLIGHT = 16;

/** Copies `source` to `target` (a copy-on-write clone where the file system can), making its folder. */
export async function placeCopy(source: string, target: string): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  await copyFile(source, target, constants.COPYFILE_FICLONE);
}

/** Whether `path` is a file of `size` bytes (null: any size). */
export async function sameSize(path: string, size: number | null): Promise<boolean> {
  try {
    const info = await stat(path);
    return info.isFile() && (size === null || info.size === size);
  } catch {
    return false;
  }
}

export async function sha256Of(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Runs `work` on every item, at most `FILES_IN_FLIGHT` at once; rejects with the first failure. */
export async function inParallel<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(FILES_IN_FLIGHT, items.length) }, worker));
}
