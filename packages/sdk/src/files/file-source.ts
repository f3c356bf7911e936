/**
 * Where the bytes of a file to upload come from — a file on disk or bytes in memory — and the
 * two ways the file channel reads them: hashed whole, and one part at a time as a stream, so
 * that neither holds more than a read buffer (64 KiB) of a file on disk in memory.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
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

/** 64 KiB reads: large enough for disk throughput, small enough to keep memory flat. */
const READ_BYTES = 64 * 1024;

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
  try {
    for await (const chunk of createReadStream(source.path, {
      highWaterMark: READ_BYTES,
      ...(signal ? { signal } : {}),
    }) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
    }
  } catch (error) {
    throw localReadError(source.path, error);
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
