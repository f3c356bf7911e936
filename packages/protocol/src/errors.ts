/**
 * The one catalogue of Stepwise errors. Every error has a code, a message that names the
 * field and the fix, one HTTP status and one CLI exit code, mapped here and nowhere else.
 */
export const errorCatalogue = {
  INVALID_DATA: { httpStatus: 400, exitCode: 2 },
  USAGE: { httpStatus: 400, exitCode: 2 },
  CONFIG_CHANGE: { httpStatus: 409, exitCode: 2 },
  NOT_FOUND: { httpStatus: 404, exitCode: 4 },
  CORRUPT_DATA: { httpStatus: 422, exitCode: 3 },
  /** A run file path that cannot coexist with one stored (a file where a folder is, or the reverse). */
  PATH_CONFLICT: { httpStatus: 409, exitCode: 2 },
  /** An ingest batch starts past what the server has; the response names the expected offset. */
  OFFSET_GAP: { httpStatus: 409, exitCode: 5 },
  /**
   * A batch from a writer the run does not know: another process writes the run, or the id is
   * taken by other data. Nothing of the batch is stored; the message says how to continue.
   */
  WRITER_CONFLICT: { httpStatus: 409, exitCode: 8 },
  /**
   * An uploaded file's bytes differ from what was declared (size or sha256): nothing of it was
   * kept. The client re-reads the file (it changed while uploading) and declares it again.
   */
  CONTENT_MISMATCH: { httpStatus: 422, exitCode: 3 },
  /**
   * An artifact version names stored content the server does not hold (`details.missing`: the
   * sha256s): nothing was committed; upload those blobs, then commit again.
   */
  CONTENT_MISSING: { httpStatus: 409, exitCode: 5 },
  /**
   * A distributed artifact (`upsertArtifact` / `finishArtifact`) cannot take what was sent: a
   * path two writers added with different content (`details.path`), or entries added after
   * `finishArtifact` committed it (`details.version`). Nothing of the request was committed.
   */
  ARTIFACT_CONFLICT: { httpStatus: 409, exitCode: 2 },
  /** A resumable upload was sent from an offset the server does not have; `details.received` says where to go on. */
  UPLOAD_OFFSET: { httpStatus: 409, exitCode: 5 },
  UNAUTHENTICATED: { httpStatus: 401, exitCode: 6 },
  FORBIDDEN: { httpStatus: 403, exitCode: 6 },
  PAYLOAD_TOO_LARGE: { httpStatus: 413, exitCode: 2 },
  /** A request body in a content type the endpoint does not take (e.g. text/plain for JSON). */
  UNSUPPORTED_MEDIA_TYPE: { httpStatus: 415, exitCode: 2 },
  /**
   * Stored data failed its checksum or the database file is damaged: the response names the run
   * and the item; restore from a backup or run `stepwise server --check`. Never served as values.
   */
  STORE_CORRUPT: { httpStatus: 500, exitCode: 3 },
  /** A bug on the server: the server log has the details. */
  INTERNAL: { httpStatus: 500, exitCode: 1 },
  /** The server or network failed (CLI/SDK side): retryable. */
  UNAVAILABLE: { httpStatus: 503, exitCode: 7 },
  /** The server's disk (or quota) is full: nothing of the request was stored; retryable. */
  STORAGE_FULL: { httpStatus: 503, exitCode: 7 },
} as const;

export type ErrorCode = keyof typeof errorCatalogue;

/** Codes a client should retry after a pause: the same request may succeed later unchanged. */
export const RETRYABLE_ERROR_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  "UNAVAILABLE",
  "STORAGE_FULL",
]);

/** Base class of every error Stepwise throws on purpose. */
export class StepwiseError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.code = code;
    this.name = new.target.name;
  }
  get httpStatus(): number {
    return errorCatalogue[this.code].httpStatus;
  }
  get exitCode(): number {
    return errorCatalogue[this.code].exitCode;
  }
}

/** A value handed to `log()`, `summary` or an option cannot be stored; names the key and why. */
export class InvalidDataError extends StepwiseError {
  constructor(message: string) {
    super("INVALID_DATA", message);
  }
}

/** The API was called in a way it does not support (e.g. `log()` after `finish()`). */
export class UsageError extends StepwiseError {
  constructor(message: string) {
    super("USAGE", message);
  }
}

/** A config value was changed without `{ allowValChange: true }`. */
export class ConfigError extends StepwiseError {
  constructor(message: string) {
    super("CONFIG_CHANGE", message);
  }
}

/** A thing the caller named does not exist (a run directory, a run, a file). */
export class NotFoundError extends StepwiseError {
  constructor(message: string) {
    super("NOT_FOUND", message);
  }
}

/** Stored data could not be read back (not a run log, unknown version). */
export class CorruptDataError extends StepwiseError {
  constructor(message: string) {
    super("CORRUPT_DATA", message);
  }
}

/**
 * The server's store is damaged: a stored block failed its checksum, or SQLite found the file
 * corrupt. `details` names the run (when one is concerned), what was damaged and where.
 */
export class StoreCorruptError extends StepwiseError {
  constructor(
    message: string,
    readonly details: { run?: string; item?: string; where?: string; database?: string } = {},
  ) {
    super("STORE_CORRUPT", message);
  }
}

/** A request was refused for lack of valid credentials, or of rights. */
export class AuthError extends StepwiseError {
  constructor(code: "UNAUTHENTICATED" | "FORBIDDEN", message: string) {
    super(code, message);
  }
}

/** A run file path collides with a stored one: `a` cannot be a file while `a/b` exists, nor the reverse. */
export class PathConflictError extends StepwiseError {
  constructor(message: string) {
    super("PATH_CONFLICT", message);
  }
}

/**
 * The server could not store a request because its disk or quota is full. Nothing of the
 * request was kept; the same request succeeds once space is freed (HTTP 503, retryable).
 */
export class StorageFullError extends StepwiseError {
  constructor(message: string) {
    super("STORAGE_FULL", message);
  }
}

/**
 * A run refused a batch because it comes from a writer it does not know (see `writer` in
 * ingest.ts): never merged, never dropped as a re-send; the writer's rows stay in its run log.
 */
export class WriterConflictError extends StepwiseError {
  constructor(message: string) {
    super("WRITER_CONFLICT", message);
  }
}

/** An ingest batch does not continue a stream where the server expects it. */
export class OffsetGapError extends StepwiseError {
  constructor(
    readonly stream: string,
    readonly expected: number,
    message: string,
  ) {
    super("OFFSET_GAP", message);
  }
}

/** An uploaded file's bytes are not the ones declared (size or sha256); nothing of it was kept. */
export class ContentMismatchError extends StepwiseError {
  constructor(message: string) {
    super("CONTENT_MISMATCH", message);
  }
}

/** An artifact version's stored entries name blobs the server lacks; nothing was committed. */
export class ContentMissingError extends StepwiseError {
  /** Sent as the error body's `details`. */
  readonly details: { missing: readonly string[] };
  constructor(missing: readonly string[], message: string) {
    super("CONTENT_MISSING", message);
    this.details = { missing };
  }
}

/**
 * A distributed artifact refused entries: `path` (when one is named) was added by two writers
 * with different content, or `version` says which version `finishArtifact` committed already.
 */
export class ArtifactConflictError extends StepwiseError {
  /** Sent as the error body's `details`. */
  readonly details: { path?: string; version?: string };
  constructor(details: { path?: string; version?: string }, message: string) {
    super("ARTIFACT_CONFLICT", message);
    this.details = details;
  }
}

/** A part of a resumable upload does not start where the server's copy ends (`received`). */
export class UploadOffsetError extends StepwiseError {
  constructor(
    readonly received: number,
    message: string,
  ) {
    super("UPLOAD_OFFSET", message);
  }
}

/** The JSON body every 4xx/5xx response carries. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown> };
}
