/**
 * Writes a stream of bytes to `folder/name` so that the file appears complete or not at all:
 * the bytes go to a hidden `.name.partial`, which is flushed to disk (fsync) and renamed over
 * `name` once the stream ended cleanly. A stream that fails (the server cut the transfer on
 * damage, the connection dropped) leaves no partial file; a process killed meanwhile leaves
 * only the hidden partial file, which the next export into the folder removes.
 */
import { open, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { partialName } from "./file-names.js";

const FLUSH_BYTES = 32 * 1024 * 1024;

export interface WrittenFile {
  bytes: number;
  /** Newline bytes written (JSON lines: rows; CSV: records plus the header, when no value holds one). */
  newlines: number;
}

export async function writeAtomically(
  folder: string,
  name: string,
  chunks: AsyncIterable<Uint8Array>,
  onChunk?: (bytes: number) => void,
): Promise<WrittenFile> {
  const temp = join(folder, partialName(name));
  const handle = await open(temp, "w");
  let bytes = 0;
  let newlines = 0;
  let unflushed = 0;
  let flushing: Promise<void> | null = null;
  try {
    for await (const chunk of chunks) {
      await handle.write(chunk);
      bytes += chunk.byteLength;
      unflushed += chunk.byteLength;
      // A big file is flushed as it grows, so that the fsync before the rename has little left.
      if (unflushed >= FLUSH_BYTES && flushing === null) {
        unflushed = 0;
        // Its failure shows again in the sync() below, which is awaited.
        flushing = handle
          .datasync()
          .catch(() => undefined)
          .finally(() => (flushing = null));
      }
      newlines += countNewlines(chunk);
      onChunk?.(chunk.byteLength);
    }
    await flushing;
    await handle.sync();
    await handle.close();
  } catch (error) {
    await flushing;
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
  await rename(temp, join(folder, name));
  return { bytes, newlines };
}

function countNewlines(chunk: Uint8Array): number {
  let count = 0;
  for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) count++;
  return count;
}
