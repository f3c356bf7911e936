/**
 * `@stepwise/sdk/cli`: the `stepwise` command as a library. `main(argv)` resolves to the exit code
 * (bin/stepwise.js sets it); `@stepwise/cli` adds its `server` command through `trainingCommands`
 * and passes its own version (`cliVersion` of its package.json); `lazyCommand` lets it register a
 * command whose implementation is imported only when it runs.
 */
export { main, trainingCommands } from "./main.js";
export { cliVersion } from "./cli-version.js";
export type { CliIo } from "./cli-io.js";
export { processIo } from "./cli-io.js";
export type { Command } from "./commands/command.js";
export { lazyCommand } from "./lazy-command.js";
export { ExitCode } from "./exit-codes.js";
export { usageErrorFromParseArgs, commandUsageError } from "./parse-args-error.js";
