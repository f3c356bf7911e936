/**
 * The `stepwise` command line: dispatches to a subcommand and turns every failure into a
 * message on stderr and an exit code (see exit-codes.ts). No CLI framework: `node:util`
 * parseArgs per command keeps the dependency tree empty.
 *
 * The SDK ships the commands a training machine needs (login, export, runs, sync, keys, files, presets, tables, artifact). The `server`
 * and `migrate` commands live in `@stepwise/cli`, which carries the server and its native addon:
 * when that package is installed it supplies them (see server-command-delegate.ts). Each command's
 * implementation is imported only when it runs (commands/training-commands.ts).
 */
import { UsageError } from "@stepwise/protocol";
import { cliVersion } from "./cli-version.js";
import { processIo, type CliIo } from "./cli-io.js";
import type { Command } from "./commands/command.js";
import { trainingCommands } from "./commands/training-commands.js";
import { ExitCode } from "./exit-codes.js";
import { reportError } from "./report-error.js";
import { usage } from "./usage.js";

export { trainingCommands };

/**
 * Runs `stepwise <argv>`; resolves to the process exit code and never throws. A package that
 * builds its own command from these (`@stepwise/cli`) passes its commands and how to read its
 * version (read only for `--version`, inside the error handling).
 */
export async function main(
  argv: string[],
  io: CliIo = processIo(),
  commands: readonly Command[] = trainingCommands(),
  version: () => string = cliVersion,
): Promise<number> {
  try {
    return await dispatch(argv, io, commands, version);
  } catch (error) {
    return reportError(error, io.stderr);
  }
}

async function dispatch(
  argv: string[],
  io: CliIo,
  commands: readonly Command[],
  version: () => string,
): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr.write(usage(commands));
    return ExitCode.usage;
  }
  if (first === "--help" || first === "-h") {
    io.stdout.write(usage(commands));
    return ExitCode.ok;
  }
  // `stepwise help export` reads as naturally as `stepwise export --help`.
  if (first === "help")
    return rest[0] === undefined
      ? dispatch(["--help"], io, commands, version)
      : dispatch([rest[0], "--help"], io, commands, version);
  if (first === "--version") {
    io.stdout.write(`${version()}\n`);
    return ExitCode.ok;
  }
  const command = commands.find((candidate) => candidate.name === first);
  if (command) return command.run(rest, io);
  const what = first.startsWith("-") ? "option" : "command";
  io.stderr.write(usage(commands) + "\n");
  throw new UsageError(`unknown ${what} '${first}'; run 'stepwise --help' for the commands`);
}
