/**
 * The sha256 and size of a local file, read in the upload worker with one reused 1 MiB buffer,
 * reporting the bytes read as it goes: hashing a large `end` file at finish is progress, so
 * finish() keeps waiting while it runs (a 100 GiB checkpoint hashes for minutes, longer than the
 * finish timeout with nothing sent).
 */
import { createHash } from "node:crypto";
import { open } from "node:fs/promises";

const READ_BYTES = 1024 * 1024;

export async function hashLocalFile(
  path: string,
  signal: AbortSignal,
  onBytes: (read: number) => void,
): Promise<{ size: number; sha256: string }> {
  const hash = createHash("sha256");
  const buffer = Buffer.alloc(READ_BYTES);
  const file = await open(path, "r");
  let size = 0;
  try {
    for (;;) {
      signal.throwIfAborted();
      const { bytesRead } = await file.read(buffer, 0, READ_BYTES, size);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      size += bytesRead;
      onBytes(bytesRead);
    }
  } finally {
    await file.close();
  }
  return { size, sha256: hash.digest("hex") };
}
