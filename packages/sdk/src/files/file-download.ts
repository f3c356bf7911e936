/**
 * Downloads one run file to a local path. The bytes go to a hidden partial file beside the
 * destination, named after the file's sha256 (its ETag), and are renamed over the destination
 * only once their size and sha256 are the server's: a reader never sees half a file, and a
 * download cut short leaves its partial file, which the next download of the same content goes
 * on from with `Range` (other content starts afresh, and removes partial files left by it).
 */
import { createHash, type Hash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  apiPaths,
  CorruptDataError,
  filePathSchema,
  StepwiseError,
  UsageError,
  type FileDto,
  type RunRef,
} from "@stepwise/protocol";
import type { ServerTarget } from "../upload/server-target.js";
import { errorFromAnswer, FileTransferUnavailableError, networkError } from "./file-errors.js";
import { fileFromHeaders, rangeStart, type DescribedFile } from "./file-headers.js";
import { answerText, headerValue, httpCall, type HttpAnswer, type HttpCall } from "./http-call.js";

export interface DownloadFileOptions {
  signal?: AbortSignal;
  /** Bytes on disk so far, of `total` (a resumed download starts at what it had). */
  onProgress?: (received: number, total: number) => void;
}

/** Resolves to the file's description, or null when the run has no file at `path`. */
export async function downloadRunFile(
  target: ServerTarget,
  ref: RunRef,
  path: string,
  destination: string,
  options: DownloadFileOptions = {},
): Promise<FileDto | null> {
  if (!filePathSchema.safeParse(path).success)
    throw new UsageError(
      `run file path ${JSON.stringify(path)} must be relative, with / separators and no empty, . or .. segment`,
    );
  const { signal } = options;
  const url = apiPaths.file(ref, path);
  const head = await send(target, { method: "HEAD", url, signal });
  head.body.resume();
  if (head.status === 404) return missingFile(target, ref, signal);
  await refuse(head, `HEAD ${url}`);
  const file = fileFromHeaders(path, head.headers);
  const to = resolve(destination);
  await mkdir(dirname(to), { recursive: true });
  const partial = partialPath(to, file.sha256);
  let have = file.sha256 === null ? 0 : await sizeOf(partial);
  if (have > file.size) have = 0;
  const hash = createHash("sha256");
  if (have === file.size && have > 0) await hashFile(partial, hash);
  else {
    const ranged = have > 0 ? { range: `bytes=${have}-`, "if-range": `"${file.sha256}"` } : undefined;
    const answer = await send(target, { method: "GET", url, signal, ...(ranged ? { headers: ranged } : {}) });
    if (answer.status === 404) {
      answer.body.resume();
      return missingFile(target, ref, signal);
    }
    await refuse(answer, `GET ${url}`);
    if (fileFromHeaders(path, answer.headers).sha256 !== file.sha256) {
      answer.body.destroy();
      throw new FileTransferUnavailableError(
        "UNAVAILABLE",
        `run file '${path}' was replaced on the server during the download; download it again`,
        null,
        false,
      );
    }
    const start = answer.status === 206 && rangeStart(answer.headers) === have ? have : 0;
    if (start > 0) await hashFile(partial, hash);
    try {
      await pipeline(
        answer.body,
        new HashAndCount(hash, start, (done) => options.onProgress?.(done, file.size)),
        createWriteStream(partial, { flags: start > 0 ? "a" : "w", flush: true }),
      );
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (error instanceof StepwiseError || isLocalWriteError(error)) throw error;
      throw networkError(`GET ${url}`, target.baseUrl, error);
    }
  }
  return keep(file, hash.digest("hex"), partial, to);
}

/** Checks the finished partial file against the server's size and sha256, then renames it into place. */
async function keep(file: DescribedFile, sha256: string, partial: string, to: string): Promise<FileDto> {
  const size = await sizeOf(partial);
  if (size !== file.size || (file.sha256 !== null && sha256 !== file.sha256)) {
    await rm(partial, { force: true });
    throw new CorruptDataError(
      `run file '${file.path}' arrived damaged (${size} bytes, sha256 ${sha256.slice(0, 12)}…; the server has ` +
        `${file.size} bytes, sha256 ${(file.sha256 ?? "?").slice(0, 12)}…); nothing was written to ${to}: download it again`,
    );
  }
  await rename(partial, to);
  await removeStalePartials(to);
  return { ...file, sha256 };
}

/** The run exists (so the file does not: null), or a NotFoundError naming the run. */
async function missingFile(
  target: ServerTarget,
  ref: RunRef,
  signal: AbortSignal | undefined,
): Promise<null> {
  const url = apiPaths.run(ref);
  const answer = await send(target, { method: "GET", url, signal });
  await refuse(answer, `GET ${url}`);
  answer.body.resume();
  return null;
}

async function send(target: ServerTarget, call: HttpCall): Promise<HttpAnswer> {
  try {
    return await httpCall(target, call);
  } catch (error) {
    if (call.signal?.aborted) throw call.signal.reason;
    throw networkError(`${call.method} ${call.url}`, target.baseUrl, error);
  }
}

/** Throws the typed error of a non-2xx answer. */
async function refuse(answer: HttpAnswer, what: string): Promise<void> {
  if (answer.status >= 200 && answer.status < 300) return;
  const text = answer.body.readableEnded ? "" : await answerText(answer);
  throw errorFromAnswer(answer.status, text, headerValue(answer.headers, "retry-after"), what);
}

/** `.<name>.<sha256 prefix>.partial` beside the destination: found again only for the same content. */
function partialPath(to: string, sha256: string | null): string {
  return join(dirname(to), `.${basename(to)}.${(sha256 ?? "unknown").slice(0, 16)}.partial`);
}

async function removeStalePartials(to: string): Promise<void> {
  const prefix = `.${basename(to)}.`;
  const names = await readdir(dirname(to)).catch(() => [] as string[]);
  for (const name of names)
    if (name.startsWith(prefix) && name.endsWith(".partial"))
      await rm(join(dirname(to), name), { force: true }).catch(() => undefined);
}

async function sizeOf(path: string): Promise<number> {
  return stat(path).then(
    (info) => (info.isFile() ? info.size : 0),
    () => 0,
  );
}

async function hashFile(path: string, hash: Hash): Promise<void> {
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) hash.update(chunk);
}

function isLocalWriteError(error: unknown): boolean {
  const syscall = (error as NodeJS.ErrnoException | null)?.syscall;
  return syscall === "open" || syscall === "write" || syscall === "fsync" || syscall === "close";
}

/** Hashes and counts the bytes on their way to the disk. */
class HashAndCount extends Transform {
  constructor(
    private readonly hash: Hash,
    private done: number,
    private readonly progress: (done: number) => void,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.done += chunk.length;
    this.progress(this.done);
    callback(null, chunk);
  }
}
