/**
 * The `stepwise` command's exit codes, in one place. The codes for typed errors come from the
 * protocol's error catalogue so a StepwiseError's own `exitCode` and this table cannot drift.
 */
import { errorCatalogue } from "@stepwise/protocol";

export const ExitCode = {
  ok: 0,
  /** A bug or an environment failure (disk full, permission denied) that is not a typed error. */
  unexpected: 1,
  usage: errorCatalogue.USAGE.exitCode,
  corruptData: errorCatalogue.CORRUPT_DATA.exitCode,
  notFound: errorCatalogue.NOT_FOUND.exitCode,
  writerConflict: errorCatalogue.WRITER_CONFLICT.exitCode,
} as const;
