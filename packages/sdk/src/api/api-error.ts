/**
 * Turns a server's error response (`{ error: { code, message, details } }`) or a failed
 * connection into the catalogued StepwiseError subclass, so that callers of the `Api` client
 * catch the same classes the server threw (NotFoundError for 404 and so on).
 */
import {
  ArtifactConflictError,
  AuthError,
  ConfigError,
  ContentMissingError,
  CorruptDataError,
  errorCatalogue,
  InvalidDataError,
  NotFoundError,
  OffsetGapError,
  StepwiseError,
  UsageError,
  type ErrorCode,
} from "@stepwise/protocol";

/** The error a response with a non-2xx status stands for; `what` names the request (`GET /api/v1/...`). */
export function errorFromResponse(status: number, bodyText: string, what: string): StepwiseError {
  const body = parseErrorBody(bodyText);
  const code = body?.code ?? codeForStatus(status);
  const message =
    body?.message ?? `${what} failed with HTTP ${status}${bodyText ? `: ${bodyText.slice(0, 200)}` : ""}`;
  return errorFromCode(code, message, body?.details ?? {});
}

/** The server could not be reached, or did not answer in time: retryable. */
export function unavailableError(what: string, baseUrl: string, cause: unknown): StepwiseError {
  const reason = cause instanceof Error ? describeCause(cause) : String(cause);
  const error = new StepwiseError(
    "UNAVAILABLE",
    `${what}: cannot reach the Stepwise server at ${baseUrl} (${reason}); check that it is running ` +
      "(stepwise server) and that baseUrl / STEPWISE_BASE_URL points at it",
  );
  if (cause instanceof Error) error.cause = cause;
  return error;
}

/**
 * The catalogued StepwiseError subclass of `code` (a UsageError for USAGE and so on), for an
 * error that crossed a boundary as its code, message and details: a server's error body, or the
 * answer of a worker thread (artifacts/seal-off-thread.ts).
 */
export function errorFromCode(
  code: ErrorCode,
  message: string,
  details: Record<string, unknown> = {},
): StepwiseError {
  switch (code) {
    case "INVALID_DATA":
      return new InvalidDataError(message);
    case "USAGE":
      return new UsageError(message);
    case "CONFIG_CHANGE":
      return new ConfigError(message);
    case "NOT_FOUND":
      return new NotFoundError(message);
    case "CORRUPT_DATA":
      return new CorruptDataError(message);
    case "UNAUTHENTICATED":
    case "FORBIDDEN":
      return new AuthError(code, message);
    case "CONTENT_MISSING": {
      const missing = Array.isArray(details["missing"]) ? details["missing"].map(String) : [];
      return new ContentMissingError(missing, message);
    }
    case "ARTIFACT_CONFLICT": {
      const { path, version } = details;
      return new ArtifactConflictError(
        {
          ...(typeof path === "string" ? { path } : {}),
          ...(typeof version === "string" ? { version } : {}),
        },
        message,
      );
    }
    case "OFFSET_GAP": {
      const stream = typeof details["stream"] === "string" ? details["stream"] : "";
      const expected = typeof details["expected"] === "number" ? details["expected"] : 0;
      return new OffsetGapError(stream, expected, message);
    }
    default:
      return new StepwiseError(code, message);
  }
}

function parseErrorBody(
  text: string,
): { code: ErrorCode; message: string; details?: Record<string, unknown> } | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const error = (parsed as { error?: unknown } | null)?.error;
  if (typeof error !== "object" || error === null) return null;
  const { code, message, details } = error as Record<string, unknown>;
  if (typeof code !== "string" || !(code in errorCatalogue) || typeof message !== "string") return null;
  return {
    code: code as ErrorCode,
    message,
    ...(typeof details === "object" && details !== null
      ? { details: details as Record<string, unknown> }
      : {}),
  };
}

/** For responses without our error body (a proxy's 502, say): the catalogued code with that status. */
function codeForStatus(status: number): ErrorCode {
  if (status >= 500) return "UNAVAILABLE";
  for (const [code, entry] of Object.entries(errorCatalogue))
    if (entry.httpStatus === status) return code as ErrorCode;
  return "USAGE";
}

function describeCause(cause: Error): string {
  if (cause.name === "TimeoutError" || cause.name === "AbortError") return "timed out";
  const inner = cause.cause;
  if (inner instanceof Error && "code" in inner && typeof inner.code === "string") return inner.code;
  return cause.message;
}
