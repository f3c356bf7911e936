/**
 * Sends one run file until the server holds it: finds its size and sha256 (from the record, the
 * hash cache of file-state.json, or by reading it — in the upload worker, never on the training
 * thread), asks the file client to upload it, and retries what can be retried with backoff. The
 * client continues a partly sent upload by itself when called again with the same content, and
 * the server answers "stored" for a content it already has, so a retry or a second run sends
 * only what is missing. A local file that changed while it was sent (CONTENT_MISMATCH) is hashed
 * again and sent as it is now.
 */
import { stat } from "node:fs/promises";
import type { FileRecord, RunRef } from "@stepwise/protocol";
import {
  hashFileSource,
  isRetryableFileError,
  uploadRunFile,
  type FileSource,
} from "../files/file-client.js";
import { Backoff } from "./backoff.js";
import { hashLocalFile } from "./file-hash.js";
import type { FileState } from "./file-state.js";
import type { ServerTarget } from "./ingest-client.js";

export type FileUploadOutcome =
  | { kind: "uploaded"; sha256: string; size: number; bytesSent: number; deduplicated: boolean }
  /** The server had this content for this path already (file-state.json says so): nothing sent. */
  | { kind: "unchanged"; sha256: string; size: number }
  | { kind: "failed"; message: string }
  | { kind: "cancelled" };

export interface FileUploadJob {
  target: ServerTarget;
  ref: RunRef;
  state: FileState;
  record: FileRecord;
  signal: AbortSignal;
  backoff: { baseMs: number; capMs: number };
  /** Give up after this long without the server answering (sync); default: never (live: finish() decides). */
  giveUpAfterMs?: number;
  /** Bytes hashed or sent, as they go (finish()'s sign of progress). */
  onBytes(delta: number): void;
  onRetry(reason: string): void;
}

/** Attempts at a file whose content keeps changing while it is sent, before it is reported. */
const MAX_CONTENT_CHANGES = 5;

export async function uploadFile(job: FileUploadJob): Promise<FileUploadOutcome> {
  const { record, signal } = job;
  const source = sourceOf(record);
  const backoff = new Backoff(job.backoff.baseMs, job.backoff.capMs);
  let unreachableSince: number | null = null;
  let changes = 0;
  let trustRecord = true;
  for (;;) {
    if (signal.aborted) return { kind: "cancelled" };
    try {
      const { size, sha256 } = await identify(job, source, trustRecord);
      const had = job.state.uploaded(record.path);
      if (had !== null && had.sha256 === sha256 && had.size === size)
        return { kind: "unchanged", sha256, size };
      let reported = 0;
      const result = await uploadRunFile(
        job.target,
        job.ref,
        { path: record.path, source, size, sha256 },
        {
          signal,
          onProgress: (sent) => {
            if (sent > reported) job.onBytes(sent - reported);
            reported = Math.max(reported, sent);
          },
          ...(record.contentType !== undefined ? { contentType: record.contentType } : {}),
        },
      );
      job.state.markUploaded(record.path, sha256, size);
      return {
        kind: "uploaded",
        sha256,
        size,
        bytesSent: result.bytesSent,
        deduplicated: result.deduplicated,
      };
    } catch (error) {
      if (signal.aborted) return { kind: "cancelled" };
      if (isMissingFile(error))
        return { kind: "failed", message: `${localOf(record)} no longer exists: ${String(error)}` };
      if (isContentMismatch(error) && (error as { current?: unknown }).current === null)
        return { kind: "failed", message: `${localOf(record)} was removed while it was uploaded` };
      if (isContentMismatch(error) && source.kind === "local" && ++changes <= MAX_CONTENT_CHANGES) {
        // The file changed after it was hashed: hash it again and send what it holds now.
        job.state.forgetHash(source.path);
        trustRecord = false;
        continue;
      }
      if (!isRetryableFileError(error)) return { kind: "failed", message: describe(error) };
      unreachableSince ??= Date.now();
      if (job.giveUpAfterMs !== undefined && Date.now() - unreachableSince >= job.giveUpAfterMs)
        return { kind: "failed", message: `server not reachable (${describe(error)})` };
      // An unreachable server is reported by the records' upload; other retried failures here.
      if ((error as { unreachable?: unknown }).unreachable !== true) job.onRetry(describe(error));
      await sleep(backoff.nextDelayMs(retryAfter(error)), signal);
    }
  }
}

function sourceOf(record: FileRecord): FileSource {
  return "local" in record.source
    ? { kind: "local", path: record.source.local }
    : { kind: "bytes", bytes: Buffer.from(record.source.inline, "base64") };
}

function localOf(record: FileRecord): string {
  return "local" in record.source ? record.source.local : record.path;
}

/**
 * Size and sha256 of what will be sent. Inline content and the SDK's own files carry them in the
 * record; a saved local file is hashed here, unless the cache knows it unchanged (size, mtime).
 */
async function identify(
  job: FileUploadJob,
  source: FileSource,
  trustRecord: boolean,
): Promise<{ size: number; sha256: string }> {
  const { record, state, signal } = job;
  if (trustRecord && record.size !== null && record.sha256 !== null)
    return { size: record.size, sha256: record.sha256 };
  if (source.kind === "bytes") return hashFileSource(source, signal);
  const before = await stat(source.path);
  const cached = state.cachedHash(source.path, before.size, before.mtimeMs);
  if (cached !== null) return { size: before.size, sha256: cached };
  const hashed = await hashLocalFile(source.path, signal, (read) => job.onBytes(read));
  const after = await stat(source.path);
  // Remembered only when the file did not change while it was read.
  if (after.size === before.size && after.mtimeMs === before.mtimeMs && after.size === hashed.size)
    state.rememberHash(source.path, { size: hashed.size, mtimeMs: after.mtimeMs, sha256: hashed.sha256 });
  return hashed;
}

function retryAfter(error: unknown): number | null {
  const value = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  return typeof value === "number" ? value : null;
}

function isMissingFile(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "ENOENT";
}

function isContentMismatch(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "CONTENT_MISMATCH";
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
