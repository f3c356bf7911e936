/**
 * The `stepwise` command line: dispatches to a subcommand and turns every failure into a
 * message on stderr and an exit code (see exit-codes.ts). No CLI framework: `node:util`
 * parseArgs per command keeps the dependency tree empty.
 */
import { UsageError } from "@stepwise/protocol";
import { cliVersion } from "./cli-version.js";
import { processIo, type CliIo } from "./cli-io.js";
import type { Command } from "./commands/command.js";
import { exportCommand } from "./commands/export.js";
import { loginCommand } from "./commands/login.js";
import { runsCommand } from "./commands/runs.js";
import { serverCommand } from "./commands/server.js";
import { syncCommand } from "./commands/sync.js";
import { ExitCode } from "./exit-codes.js";
import { reportError } from "./report-error.js";
import { usage } from "./usage.js";

/** Later issues add server, sync, login, runs and import; list only what exists. */
const COMMANDS: readonly Command[] = [serverCommand, loginCommand, exportCommand, runsCommand, syncCommand];

/** Runs `stepwise <argv>`; resolves to the process exit code and never throws. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    return reportError(error, io.stderr);
  }
}

async function dispatch(argv: string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr.write(usage(COMMANDS));
    return ExitCode.usage;
  }
  if (first === "--help" || first === "-h") {
    io.stdout.write(usage(COMMANDS));
    return ExitCode.ok;
  }
  // `stepwise help export` reads as naturally as `stepwise export --help`.
  if (first === "help")
    return rest[0] === undefined ? dispatch(["--help"], io) : dispatch([rest[0], "--help"], io);
  if (first === "--version") {
    io.stdout.write(`${cliVersion()}\n`);
    return ExitCode.ok;
  }
  const command = COMMANDS.find((candidate) => candidate.name === first);
  if (command) return command.run(rest, io);
  const what = first.startsWith("-") ? "option" : "command";
  io.stderr.write(usage(COMMANDS) + "\n");
  throw new UsageError(`unknown ${what} '${first}'; run 'stepwise --help' for the commands`);
}
