/**
 * This package's own built bin (the SDK's bin delegates `server` to it: see sdk/test/cli), run
 * through the SDK tests' spawn helpers.
 */
import { fileURLToPath } from "node:url";
import { runCliWith as runAnyCliWith, startCli as startAnyCli } from "../../sdk/test/cli/spawn-cli.js";

export const CLI_BIN = fileURLToPath(new URL("../bin/stepwise.js", import.meta.url));

/** Starts `stepwise <args>` from @stepwise/cli's bin; the caller collects or kills it. */
export function startCli(args: readonly string[]): ReturnType<typeof startAnyCli> {
  return startAnyCli(args, {}, CLI_BIN);
}

/** Runs `stepwise <args>` from @stepwise/cli's bin to the end. */
export function runCli(
  args: readonly string[],
  options: { env?: Record<string, string>; input?: string } = {},
): ReturnType<typeof runAnyCliWith> {
  return runAnyCliWith(args, { ...options, bin: CLI_BIN });
}
