/**
 * The file channel's failures, as typed errors a caller can act on. Retryable: the server could
 * not be reached or failed (network errors, 5xx, 408, 429, a full server disk: the same request
 * may succeed later, resuming where the server's copy ends). Fatal: every other answer, as the
 * protocol's StepwiseError subclass for its code; a file that changed while it was uploaded is
 * a FileChangedError that carries what the file holds now.
 */
import {
  ContentMismatchError,
  PathConflictError,
  StepwiseError,
  UploadOffsetError,
  type ErrorCode,
} from "@stepwise/protocol";
import { errorFromResponse, unavailableError } from "../api/api-error.js";
import { classify } from "../upload/ingest-client.js";

/** The server could not be reached or failed; the same transfer may succeed later. */
export class FileTransferUnavailableError extends StepwiseError {
  constructor(
    code: Extract<ErrorCode, "UNAVAILABLE" | "STORAGE_FULL">,
    message: string,
    /** The server's Retry-After, when it sent one. */
    readonly retryAfterMs: number | null,
    /** True when no answer came at all (refused, reset, timed out). */
    readonly unreachable: boolean,
  ) {
    super(code, message);
  }
}

/**
 * The file's bytes are no longer the ones declared: it changed (or was removed) while it was
 * uploaded. Nothing of it was kept. Hash it again (`current` is what it holds now, null when it
 * is gone) and upload it as what it is now.
 */
export class FileChangedError extends ContentMismatchError {
  constructor(
    readonly path: string,
    readonly declared: { size: number; sha256: string },
    readonly current: { size: number; sha256: string } | null,
  ) {
    super(
      current === null
        ? `run file '${path}': its source disappeared while it was uploaded; nothing of it was kept`
        : `run file '${path}' changed while it was uploaded (declared ${declared.size} bytes, sha256 ` +
            `${declared.sha256.slice(0, 12)}…; it now has ${current.size} bytes, sha256 ${current.sha256.slice(0, 12)}…); ` +
            "nothing of it was kept: upload it again as it is now",
    );
  }
}

/**
 * Whether the caller should try the same transfer again after a pause: network failures and
 * server failures (UNAVAILABLE, STORAGE_FULL), an upload offset the server kept moving, and bytes
 * damaged on the way while the file itself is unchanged. A FileChangedError is not retryable as
 * it is (the declaration is stale), nor an abort, nor any other typed error.
 */
export function isRetryableFileError(error: unknown): boolean {
  if (error instanceof FileTransferUnavailableError) return true;
  if (error instanceof FileChangedError) return false;
  if (error instanceof ContentMismatchError || error instanceof UploadOffsetError) return true;
  return error instanceof StepwiseError && (error.code === "UNAVAILABLE" || error.code === "STORAGE_FULL");
}

/** The typed error for a non-2xx answer; `what` names the request (`PUT /api/v1/…`). */
export function errorFromAnswer(
  status: number,
  bodyText: string,
  retryAfter: string | null,
  what: string,
): StepwiseError {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    body = null;
  }
  const seconds = Number(retryAfter);
  const failure = classify(status, body, Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : null);
  const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
  if (failure.kind === "retry")
    return new FileTransferUnavailableError(
      code === "STORAGE_FULL" ? "STORAGE_FULL" : "UNAVAILABLE",
      `${what}: ${failure.reason}`,
      failure.retryAfterMs,
      false,
    );
  const details = (body as { error?: { details?: { received?: unknown } } } | null)?.error?.details;
  if (code === "UPLOAD_OFFSET" && typeof details?.received === "number")
    return new UploadOffsetError(details.received, failure.message);
  if (code === "CONTENT_MISMATCH") return new ContentMismatchError(failure.message);
  if (code === "PATH_CONFLICT") return new PathConflictError(failure.message);
  return errorFromResponse(status, bodyText, what);
}

/** A request that got no answer: the server is down, the link broke, or nothing moved in time. */
export function networkError(what: string, baseUrl: string, error: unknown): StepwiseError {
  const typed = new FileTransferUnavailableError(
    "UNAVAILABLE",
    unavailableError(what, baseUrl, error).message,
    null,
    true,
  );
  if (error instanceof Error) typed.cause = error;
  return typed;
}
