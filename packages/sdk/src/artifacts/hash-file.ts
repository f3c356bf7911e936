/**
 * The sha256 and size of a local file as an artifact seals it: read whole when small, streamed
 * in 1 MiB pieces otherwise (never held whole), and refused when it changed while being read.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { UsageError } from "@stepwise/protocol";

/** Files up to this size are read whole (one read), larger ones streamed in 1 MiB pieces. */
const READ_WHOLE_BYTES = 4 * 1024 * 1024;

/** `entry`: the artifact entry the file is for, named in errors. */
export async function hashFile(
  localPath: string,
  entry: { path: string },
): Promise<{ sha256: string; size: number }> {
  let size: number;
  try {
    size = (await stat(localPath)).size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new UsageError(
      `artifact entry '${entry.path}': cannot read '${localPath}' (${code}); it was removed or moved after it was added`,
    );
  }
  const hash = createHash("sha256");
  let read = 0;
  if (size <= READ_WHOLE_BYTES) {
    const bytes = await readFile(localPath);
    hash.update(bytes);
    read = bytes.length;
  } else
    for await (const chunk of createReadStream(localPath, { highWaterMark: 1 << 20 })) {
      hash.update(chunk as Buffer);
      read += (chunk as Buffer).length;
    }
  if (read !== size)
    throw new UsageError(
      `artifact entry '${entry.path}': '${localPath}' changed while it was read (${size} → ${read} bytes); log the artifact once the file is complete`,
    );
  return { sha256: hash.digest("hex"), size };
}
