/**
 * Uploads one run file by the protocol in files.ts: declare it (path, size, sha256); if the
 * server has that content already, that is all. Otherwise send the bytes in parts of at most
 * `partBytes`, from where the server's copy ends, each read from the source as it is sent, two
 * at a time (the second waits on the server for the first, so the link never idles between
 * parts; the answers are taken in order).
 * A part refused with UPLOAD_OFFSET goes on from the server's `details.received`; a whole
 * refused with CONTENT_MISMATCH makes the source be hashed again to tell a changed file
 * (FileChangedError) from bytes damaged on the way. No retry beyond that: the caller's queue
 * owns retries and backoff (see isRetryableFileError), and a retry resumes where the server is.
 */
import { Transform, type TransformCallback } from "node:stream";
import {
  apiPaths,
  artifactPaths,
  ContentMismatchError,
  contentRange,
  filePathSchema,
  fileUploadResponseSchema,
  parseExtended,
  StepwiseError,
  UploadOffsetError,
  uploadPartResponseSchema,
  UsageError,
  type FileDto,
  type FileUploadRequest,
  type FileUploadResponse,
  type RunRef,
  type UploadPartResponse,
} from "@stepwise/protocol";
import type { ServerTarget } from "../upload/server-target.js";
import {
  errorFromAnswer,
  FileChangedError,
  FileTransferUnavailableError,
  networkError,
} from "./file-errors.js";
import { hashFileSource, readSourcePart, type FileSource } from "./file-source.js";
import { answerText, headerValue, httpCall, type HttpAnswer } from "./http-call.js";

export interface UploadFileOptions {
  signal?: AbortSignal;
  /** Bytes of the file the server has or is being sent, of `totalBytes`; called as parts stream. */
  onProgress?: (sentBytes: number, totalBytes: number) => void;
  /** Default: the server guesses from the path's extension. */
  contentType?: string;
  /** Most bytes per PUT; the server's `partBytes` caps it. Default: the server's. */
  partBytes?: number;
}

export interface UploadFileResult {
  file: FileDto;
  /** Bytes this call sent (0 when the server had the content already). */
  bytesSent: number;
  /** True when the server already held this content and nothing was sent. */
  deduplicated: boolean;
}

export interface FileToUpload {
  /** Path in the run. */
  path: string;
  source: FileSource;
  size: number;
  sha256: string;
}

/** A declared upload URL is used until this long before it expires, then declared afresh. */
const EXPIRY_MARGIN_S = 60;
/** Answers that move the offset nowhere, in a row, before giving up (UploadOffsetError, retryable). */
const MAX_STALLS = 3;
/** Parts of one file sent at once: the second waits its turn on the server, its request already open. */
const PARTS_IN_FLIGHT = 2;

export async function uploadRunFile(
  target: ServerTarget,
  ref: RunRef,
  file: FileToUpload,
  options: UploadFileOptions = {},
): Promise<UploadFileResult> {
  if (!filePathSchema.safeParse(file.path).success)
    throw new UsageError(
      `run file path ${JSON.stringify(file.path)} must be relative, with / separators and no empty, . or .. segment`,
    );
  const request: FileUploadRequest = { path: file.path, size: file.size, sha256: file.sha256 };
  if (options.contentType !== undefined) request.contentType = options.contentType;
  return uploadDeclared(target, { url: apiPaths.fileUploads(ref), body: request }, file, options);
}

/**
 * Uploads content tied to no run file (an artifact's entry) by the same protocol, declared by
 * sha256 and size at `POST {artifactPaths.blobUploads}`: content the server holds (any run's or
 * artifact's) is answered at once and nothing is sent. `file.path` only names it in errors.
 */
export function uploadBlob(
  target: ServerTarget,
  project: { entity: string; project: string },
  file: FileToUpload,
  options: UploadFileOptions = {},
): Promise<UploadFileResult> {
  const url = artifactPaths.blobUploads(project.entity, project.project);
  return uploadDeclared(target, { url, body: { size: file.size, sha256: file.sha256 } }, file, options);
}

/** Where and what to declare before the parts. */
interface Declaration {
  url: string;
  body: object;
}

async function uploadDeclared(
  target: ServerTarget,
  request: Declaration,
  file: FileToUpload,
  options: UploadFileOptions,
): Promise<UploadFileResult> {
  let declared = await declare(target, request, options.signal);
  if (declared.status === "stored") {
    options.onProgress?.(file.size, file.size);
    return { file: declared.file, bytesSent: 0, deduplicated: true };
  }
  let upload = declared;
  let received = upload.received;
  let bytesSent = 0;
  let reported = 0;
  const inFlight: PartInFlight[] = [];
  const progress = (): void => {
    const sent = Math.min(file.size, received + inFlight.reduce((sum, part) => sum + part.sent, 0));
    if (sent > reported) options.onProgress?.((reported = sent), file.size);
  };
  try {
    for (let stalls = 0, next = received; ;) {
      options.signal?.throwIfAborted();
      if (inFlight.length === 0 && Date.now() / 1000 > upload.expiresAt - EXPIRY_MARGIN_S) {
        declared = await declare(target, request, options.signal);
        if (declared.status === "stored")
          return { file: declared.file, bytesSent, deduplicated: bytesSent === 0 };
        upload = declared;
        next = received = upload.received;
      }
      const partBytes = Math.min(upload.partBytes, options.partBytes ?? upload.partBytes);
      // The next part's request is open while the one before it finishes (the server writes
      // them in order), so no round trip or sync on the server leaves the link idle between parts.
      while (inFlight.length === 0 || (inFlight.length < PARTS_IN_FLIGHT && next < file.size)) {
        const length = Math.min(partBytes, file.size - next);
        inFlight.push(sendPart(target, upload.uploadUrl, file, next, length, options, progress));
        next += length;
      }
      const head = inFlight[0] as PartInFlight;
      let answer;
      try {
        answer = await head.answer;
        inFlight.shift();
        bytesSent += head.length;
      } catch (error) {
        await cancel(inFlight);
        if (error instanceof ContentMismatchError || error instanceof SourceShortError || isMissing(error))
          throw await explainMismatch(file, error as Error, options.signal);
        if (!isOffsetRefusal(error)) throw error;
        // Where is the server? The protocol puts its offset in an UPLOAD_OFFSET's details.received,
        // but a part refused early (another uploader of this content got there first) reaches a
        // client still writing its body as a reset, the answer lost; and the other uploader may
        // have finished the file. Declaring again answers all of it: `stored`, or the offset. A
        // server that is gone fails the declaration: the part's error stands.
        const again = await declare(target, request, options.signal).catch(() => {
          throw error;
        });
        if (again.status === "stored") return { file: again.file, bytesSent, deduplicated: false };
        stalls = again.received === received ? stalls + 1 : 0;
        if (stalls >= MAX_STALLS) throw error;
        upload = again;
        next = received = again.received;
        continue;
      }
      if (answer.status === "stored") return { file: answer.file, bytesSent, deduplicated: false };
      stalls = answer.received === received ? stalls + 1 : 0;
      if (stalls >= MAX_STALLS)
        throw new UploadOffsetError(
          received,
          `run file '${file.path}': the server stays at ${received} bytes`,
        );
      received = answer.received;
      if (received !== head.start + head.length) {
        // The server is elsewhere (another uploader of this content): go on from there.
        await cancel(inFlight);
        next = received;
      }
    }
  } finally {
    await cancel(inFlight);
  }
}

/** A part being sent: its place, the bytes of it sent so far, its answer, and how to stop it. */
interface PartInFlight {
  start: number;
  length: number;
  sent: number;
  answer: Promise<UploadPartResponse>;
  stop: AbortController;
}

function sendPart(
  target: ServerTarget,
  uploadUrl: string,
  file: FileToUpload,
  start: number,
  length: number,
  options: UploadFileOptions,
  progress: () => void,
): PartInFlight {
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const part: PartInFlight = { start, length, sent: 0, stop, answer: Promise.resolve(null as never) };
  part.answer = putPart(target, uploadUrl, file, start, length, signal, (sent) => {
    part.sent = sent;
    progress();
  });
  // A part stopped because the one before it failed is settled by cancel(); never unhandled.
  part.answer.catch(() => undefined);
  return part;
}

/** Stops the parts still in flight (the server keeps none of a part that was waiting its turn) and waits for them. */
async function cancel(parts: PartInFlight[]): Promise<void> {
  const stopped = parts.splice(0);
  for (const part of stopped) part.stop.abort(new Error("an earlier part of this upload failed"));
  await Promise.allSettled(stopped.map((part) => part.answer));
}

async function declare(
  target: ServerTarget,
  request: Declaration,
  signal: AbortSignal | undefined,
): Promise<FileUploadResponse> {
  const url = request.url;
  const answer = await call(target, `POST ${url}`, signal, () =>
    httpCall(target, {
      method: "POST",
      url,
      headers: { "content-type": "application/json", accept: "application/json" },
      body: Buffer.from(JSON.stringify(request.body)),
      signal,
    }),
  );
  return decode(answer, `POST ${url}`, fileUploadResponseSchema);
}

async function putPart(
  target: ServerTarget,
  uploadUrl: string,
  file: FileToUpload,
  start: number,
  length: number,
  signal: AbortSignal,
  onSent: (sent: number) => void,
): Promise<UploadPartResponse> {
  const what = `PUT part ${start}+${length} of run file '${file.path}'`;
  const part = readSourcePart(file.source, start, length);
  const body = new ExactLength(length, onSent);
  part.on("error", (error) => body.destroy(error));
  body.on("close", () => part.destroy());
  part.pipe(body);
  const answer = await call(target, what, signal, () =>
    httpCall(target, {
      method: "PUT",
      url: uploadUrl,
      headers: {
        "content-type": "application/octet-stream",
        "content-length": String(length),
        "content-range": contentRange(start, length, file.size),
        accept: "application/json",
      },
      body,
      signal,
    }),
  );
  return decode(answer, what, uploadPartResponseSchema);
}

/** Runs a request; an abort stays the caller's abort, a local read error stays itself, the rest is "unreachable". */
async function call(
  target: ServerTarget,
  what: string,
  signal: AbortSignal | undefined,
  send: () => Promise<HttpAnswer>,
): Promise<HttpAnswer> {
  try {
    return await send();
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (error instanceof SourceShortError || error instanceof StepwiseError || isLocalReadError(error))
      throw error;
    throw networkError(what, target.baseUrl, error);
  }
}

async function decode<T>(answer: HttpAnswer, what: string, schema: { parse(value: unknown): T }): Promise<T> {
  const text = await answerText(answer);
  if (answer.status < 200 || answer.status >= 300)
    throw errorFromAnswer(answer.status, text, headerValue(answer.headers, "retry-after"), what);
  try {
    return schema.parse(parseExtended(text));
  } catch {
    throw new StepwiseError(
      "CORRUPT_DATA",
      `${what}: the server's answer does not match this client's protocol (server and SDK versions differ?): ${text.slice(0, 200)}`,
    );
  }
}

/** The server refused the whole, or the source ran short: hash it again to say which. */
async function explainMismatch(file: FileToUpload, error: Error, signal?: AbortSignal): Promise<Error> {
  const current = await hashFileSource(file.source, signal).catch(() => null);
  const declared = { size: file.size, sha256: file.sha256 };
  if (current === null || current.size !== file.size || current.sha256 !== file.sha256)
    return new FileChangedError(file.path, declared, current);
  return error instanceof ContentMismatchError
    ? error
    : new ContentMismatchError(`run file '${file.path}': ${error.message}`);
}

/**
 * A part the server did not take where it was sent: UPLOAD_OFFSET, no answer at all, or
 * NOT_FOUND (the upload is over: another uploader of this content completed it meanwhile).
 */
function isOffsetRefusal(error: unknown): boolean {
  if (error instanceof FileTransferUnavailableError) return error.unreachable;
  return error instanceof StepwiseError && (error.code === "UPLOAD_OFFSET" || error.code === "NOT_FOUND");
}

/** The source file is gone (removed while it was uploaded). */
function isMissing(error: unknown): boolean {
  return isLocalReadError(error) && (error as NodeJS.ErrnoException).code === "ENOENT";
}

function isLocalReadError(error: unknown): boolean {
  const syscall = (error as NodeJS.ErrnoException | null)?.syscall;
  return syscall === "open" || syscall === "read";
}

/** The source ended before the part's length: the file shrank since it was hashed. */
class SourceShortError extends Error {}

/** Passes a part through, reporting progress, and fails it when the source gives fewer bytes than promised. */
class ExactLength extends Transform {
  #seen = 0;
  constructor(
    private readonly length: number,
    private readonly progress: (sent: number) => void,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#seen += chunk.length;
    this.progress(this.#seen);
    callback(null, chunk);
  }
  override _flush(callback: TransformCallback): void {
    callback(
      this.#seen === this.length
        ? null
        : new SourceShortError(`the source gave ${this.#seen} of ${this.length} bytes`),
    );
  }
}
