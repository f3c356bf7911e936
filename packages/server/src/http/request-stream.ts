/**
 * A request body as a Node stream, read as it arrives (never held whole): `Content-Encoding:
 * gzip` is decoded on the way, and a body that the client or a timeout cut short fails the
 * stream with a 400 (the client's doing, not the server's), so a write that reads it stores
 * nothing and answers 4xx.
 */
import { pipeline, Readable } from "node:stream";
import type { ReadableStreamReadResult } from "node:stream/web";
import { createGunzip } from "node:zlib";
import { InvalidDataError, StepwiseError } from "@stepwise/protocol";

export interface RequestStreamOptions {
  /** Whether `Content-Encoding: gzip` is taken (decoded on the way). */
  gzip: boolean;
  /** Most bytes as sent; more fail the stream with PAYLOAD_TOO_LARGE (`--max-body-bytes`). */
  maxBodyBytes: number;
}

export function requestStream(request: Request, options: RequestStreamOptions): Readable {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > options.maxBodyBytes) throw tooLarge(options.maxBodyBytes);
  const raw = Readable.from(chunksOf(request.body, options.maxBodyBytes));
  const encoding = (request.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
  if (encoding === "identity" || encoding === "") return raw;
  if (encoding !== "gzip" || !options.gzip)
    throw new InvalidDataError(
      `Content-Encoding '${encoding.slice(0, 40)}' is not supported here; send ${options.gzip ? "gzip or " : ""}no encoding`,
    );
  return Readable.from(gunzipped(raw));
}

async function* chunksOf(body: ReadableStream<Uint8Array> | null, max: number): AsyncGenerator<Uint8Array> {
  if (body === null) return;
  const reader = body.getReader();
  let size = 0;
  try {
    for (;;) {
      const chunk: ReadableStreamReadResult<Uint8Array> = await reader.read().catch(cutOff);
      if (chunk.done) return;
      size += chunk.value.byteLength;
      if (size > max) throw tooLarge(max);
      yield chunk.value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/** The decoded body; zlib's errors as a 400 naming the problem, a cut-off body as itself. */
async function* gunzipped(raw: Readable): AsyncGenerator<Buffer> {
  let rawError: unknown = null;
  const gunzip = createGunzip();
  pipeline(raw, gunzip, (error) => {
    rawError ??= error ?? null;
  });
  raw.on("error", (error) => (rawError = error));
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } catch (error) {
    if (rawError instanceof StepwiseError) throw rawError;
    throw new InvalidDataError(
      `the request body is not valid gzip (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

function tooLarge(max: number): StepwiseError {
  return new StepwiseError(
    "PAYLOAD_TOO_LARGE",
    `the request body is larger than ${max} bytes; send a larger file in parts (POST …/file-uploads), or raise the server's limit (--max-body-bytes, STEPWISE_MAX_BODY_BYTES)`,
  );
}

function cutOff(error: unknown): never {
  const reason = error instanceof Error ? error.message : String(error);
  throw new InvalidDataError(
    `the request body ended before it was complete (${reason}): the connection was closed or timed out; send the request again`,
  );
}
