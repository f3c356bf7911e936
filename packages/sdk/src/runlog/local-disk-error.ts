/**
 * `init()` on a disk that cannot take the run: a full disk or quota is a clear, typed error
 * naming the directory and what to do, never a stack trace from deep inside `fs`.
 */
import { StorageFullError } from "@stepwise/protocol";

const FULL_CODES = new Set(["ENOSPC", "EDQUOT"]);

/** Whether `error` says the filesystem (or the user's quota) has no room left. */
export function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && FULL_CODES.has(code);
}

export function runDirectoryFullError(dir: string, error: unknown): StorageFullError {
  const code = String((error as { code?: unknown }).code);
  return new StorageFullError(
    `cannot start the run: the disk holding ${dir} is full (${code}), so its run log cannot be created. ` +
      `Free space there, or pass init({ dir }) (or STEPWISE_DIR) on a disk with room.`,
  );
}
