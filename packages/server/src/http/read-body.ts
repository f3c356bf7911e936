/**
 * Reads a request body with two limits: the bytes sent (checked against Content-Length first,
 * then while reading, so a liar is cut off too) and, for `Content-Encoding: gzip`, the bytes
 * after decoding — a small gzip bomb must not fill the server's memory. A body cut off by the
 * client or by a timeout is the client's error (400), not the server's.
 */
import type { ReadableStreamReadResult } from "node:stream/web";
import { gunzip } from "node:zlib";
import { InvalidDataError, StepwiseError } from "@stepwise/protocol";

export interface BodyLimits {
  maxBodyBytes: number;
  maxDecompressedBytes: number;
}

export async function readBody(request: Request, limits: BodyLimits): Promise<Buffer> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limits.maxBodyBytes) throw tooLarge(limits.maxBodyBytes, "");
  const raw = await readLimited(request, limits.maxBodyBytes);
  const encoding = (request.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
  if (encoding === "identity" || encoding === "") return raw;
  if (encoding !== "gzip")
    throw new InvalidDataError(
      `Content-Encoding '${encoding.slice(0, 40)}' is not supported; send gzip or none`,
    );
  return gunzipLimited(raw, limits.maxDecompressedBytes);
}

async function readLimited(request: Request, max: number): Promise<Buffer> {
  if (request.body === null) return Buffer.alloc(0);
  const reader: ReadableStreamDefaultReader<Uint8Array> = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const chunk: ReadableStreamReadResult<Uint8Array> = await reader.read().catch(cutOff);
    if (chunk.done) break;
    const value = chunk.value;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw tooLarge(max, "");
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

/**
 * The client closed the connection mid-body, or the server cut it (idle or request timeout): the
 * client's doing, not a bug, so no 500 and no "internal error" in the server log.
 */
function cutOff(error: unknown): never {
  const reason = error instanceof Error ? error.message : String(error);
  throw new InvalidDataError(
    `the request body ended before it was complete (${reason}): the connection was closed or timed out; send the request again`,
  );
}

function gunzipLimited(raw: Buffer, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    gunzip(raw, { maxOutputLength: max }, (error, out) => {
      if (error === null) resolve(out);
      else if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE")
        reject(tooLarge(max, " after gzip decoding"));
      else reject(new InvalidDataError(`the request body is not valid gzip (${error.message})`));
    });
  });
}

function tooLarge(max: number, when: string): StepwiseError {
  return new StepwiseError(
    "PAYLOAD_TOO_LARGE",
    `the request body is larger than ${max} bytes${when}; send smaller batches (the server's limits: --max-body-bytes or STEPWISE_MAX_BODY_BYTES as sent, --max-decompressed-bytes or STEPWISE_MAX_DECOMPRESSED_BYTES after gzip)`,
  );
}
