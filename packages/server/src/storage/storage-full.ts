/**
 * Recognises a full disk or an exhausted quota under the server's data directory and says so as
 * a StorageFullError (HTTP 503, retryable) naming the path and the fix, instead of a 500. The
 * request that hit it stored nothing: the database rolls its transaction back and the file store
 * removes its temp file, so the client's retry succeeds once space is freed.
 */
import { statfsSync } from "node:fs";
import { StorageFullError } from "@stepwise/protocol";

/** errno codes of a full file system (ENOSPC) and of an exhausted user quota (EDQUOT). */
const FULL_ERRNO_CODES: ReadonlySet<string> = new Set(["ENOSPC", "EDQUOT"]);

/**
 * Below this many free bytes, an I/O error while writing is taken for a full disk: SQLite reports
 * a failed write as SQLITE_IOERR_* rather than SQLITE_FULL when errno was not ENOSPC (a quota, a
 * failed `-shm` growth), and a disk this close to full is the cause in practice.
 */
const NEARLY_FULL_BYTES = 4 * 1024 * 1024;

/** The errno (`ENOSPC`) or SQLite (`SQLITE_FULL`) code of an error, if it has one. */
export function errorCode(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : null;
}

/** True for ENOSPC / EDQUOT from a file system call. */
export function isFullDiskErrno(error: unknown): boolean {
  const code = errorCode(error);
  return code !== null && FULL_ERRNO_CODES.has(code);
}

/** True when the file system holding `path` has (almost) no space left for this process. */
export function isNearlyFull(path: string): boolean {
  try {
    const stats = statfsSync(path);
    return stats.bavail * stats.bsize < NEARLY_FULL_BYTES;
  } catch {
    return false;
  }
}

/** The error a client sees: `what` is the store (`the database`), `path` where it lives. */
export function storageFullError(what: string, path: string, cause: string): StorageFullError {
  return new StorageFullError(
    `the server's disk is full: ${what} at ${path} could not grow (${cause}); nothing of this ` +
      "request was stored. Free space on that disk or raise its quota; the server recovers by " +
      "itself, and the same request (the SDK retries it) then succeeds",
  );
}
