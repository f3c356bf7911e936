/**
 * Where the bytes of a file to upload come from — a file on disk or bytes in memory — and the
 * two ways the file channel reads them: hashed whole, and one part at a time as a stream, so
 * that neither holds more than a read buffer (64 KiB) of a file on disk in memory.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { Readable } from "node:stream";
import { NotFoundError, UsageError } from "@stepwise/protocol";

export interface LocalFileSource {
  kind: "local";
  /** Absolute, or relative to the current directory. */
  path: string;
}
export interface BytesFileSource {
  kind: "bytes";
  bytes: Uint8Array;
}
export type FileSource = LocalFileSource | BytesFileSource;

/** Parts are read 1 MiB at a time (16× fewer reads and socket writes than 64 KiB; memory stays flat). */
const READ_BYTES = 1024 * 1024;
/** Hashing reads 1 MiB at a time into one reused buffer. */
const HASH_READ_BYTES = 1024 * 1024;

/** Size and sha256 (64 lowercase hex digits) of the source, read as a stream. */
export async function hashFileSource(
  source: FileSource,
  signal?: AbortSignal,
): Promise<{ size: number; sha256: string }> {
  signal?.throwIfAborted();
  const hash = createHash("sha256");
  if (source.kind === "bytes") {
    hash.update(source.bytes);
    return { size: source.bytes.length, sha256: hash.digest("hex") };
  }
  let size = 0;
  // One buffer, read into again and again: hashing a large file allocates nothing per read
  // (64 KiB stream chunks left ~40 MiB of garbage behind on a 2 GiB file before a GC).
  const buffer = Buffer.allocUnsafe(HASH_READ_BYTES);
  let handle;
  try {
    handle = await open(source.path, "r");
    for (;;) {
      signal?.throwIfAborted();
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      size += bytesRead;
    }
  } catch (error) {
    throw signal?.aborted ? signal.reason : localReadError(source.path, error);
  } finally {
    await handle?.close();
  }
  return { size, sha256: hash.digest("hex") };
}

/** `length` bytes of the source from `start`, as a stream (a slice, for bytes in memory). */
export function readSourcePart(source: FileSource, start: number, length: number): Readable {
  if (source.kind === "bytes")
    return Readable.from([Buffer.from(source.bytes.subarray(start, start + length))]);
  if (length === 0) return Readable.from([]);
  return createReadStream(source.path, { start, end: start + length - 1, highWaterMark: READ_BYTES });
}

/** What a source is called in messages. */
export function describeSource(source: FileSource): string {
  return source.kind === "local" ? source.path : `${source.bytes.length} bytes in memory`;
}

/** A missing local file is a NotFoundError naming it, a folder a UsageError; other read errors (EACCES…) stay as they are. */
export function localReadError(path: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === "ENOENT") return new NotFoundError(`cannot read ${path}: no such file`);
  if (code === "EISDIR") return new UsageError(`cannot read ${path}: it is a folder; name the files in it`);
  return error;
}
