/**
 * The streams a command talks to. Commands receive them instead of reaching for `process`, so
 * tests can run `main()` in-process against in-memory streams.
 */
import type { Writable } from "node:stream";

export interface CliIo {
  /** Data only (what a user pipes or redirects). */
  stdout: Writable;
  /** Messages: errors, warnings, notes, progress. */
  stderr: Writable;
  stdoutIsTty: boolean;
  stderrIsTty: boolean;
}

export function processIo(): CliIo {
  // A reader that leaves early (`| head`) makes stdout emit EPIPE, possibly after a command
  // has stopped listening; without a listener Node would crash on it. Commands notice EPIPE
  // through their own listener and stop; this one only keeps the late event harmless.
  if (process.stdout.listenerCount("error") === 0) process.stdout.on("error", ignoreBrokenPipe);
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdoutIsTty: process.stdout.isTTY === true,
    stderrIsTty: process.stderr.isTTY === true,
  };
}

function ignoreBrokenPipe(error: NodeJS.ErrnoException): void {
  if (error.code !== "EPIPE") throw error;
}
