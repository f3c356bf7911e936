/**
 * Maps a failure to a message on stderr and an exit code: typed Stepwise errors print their
 * message and use their catalogued code; system errors (EACCES, ENOSPC…) print their message;
 * anything else is a bug and prints its stack.
 */
import type { Writable } from "node:stream";
import { StepwiseError } from "@stepwise/protocol";
import { ExitCode } from "./exit-codes.js";

export function reportError(error: unknown, stderr: Writable): number {
  if (error instanceof StepwiseError) {
    stderr.write(`stepwise: error: ${error.message}\n`);
    return error.exitCode;
  }
  if (isSystemError(error)) {
    stderr.write(`stepwise: error: ${error.message}\n`);
    return ExitCode.unexpected;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  stderr.write(`stepwise: unexpected error (please report it): ${detail}\n`);
  return ExitCode.unexpected;
}

/** Node's errors from the OS carry a `syscall`; their message already names the path and cause. */
function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === "string";
}
