/**
 * Turns `node:util` parseArgs failures into a UsageError (exit 2) that names the offending flag
 * and points at the command's help, instead of Node's long generic message.
 */
import { UsageError } from "@stepwise/protocol";

/** Returns a UsageError for parseArgs' own errors (codes ERR_PARSE_ARGS_*); other errors are returned unchanged. */
export function usageErrorFromParseArgs(error: unknown, command: string): unknown {
  if (!(error instanceof Error)) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (typeof code !== "string" || !code.startsWith("ERR_PARSE_ARGS_")) return error;
  return commandUsageError(command, describeParseError(code, error.message));
}

/** A usage error whose message ends with the hint to the command's help. */
export function commandUsageError(command: string, reason: string): UsageError {
  return new UsageError(`${reason}\nRun 'stepwise ${command} --help' for usage.`);
}

function describeParseError(code: string, message: string): string {
  // Node's unknown-option text goes on about positional arguments; the flag is what matters.
  const flag = /'([^']+)'/.exec(message)?.[1];
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && flag !== undefined) return `unknown option '${flag}'`;
  const firstSentence = message.split(". ")[0] ?? message;
  return firstSentence.charAt(0).toLowerCase() + firstSentence.slice(1);
}
