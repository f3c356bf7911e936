/**
 * The full `stepwise` command: the SDK's training-machine commands (login, export, runs, sync)
 * plus the `server` and `migrate` commands of this package, which carry the server and the web
 * UI. Every command is imported only when it runs: `stepwise export` never loads the server.
 */
import {
  cliVersion,
  lazyCommand,
  main as sdkMain,
  processIo,
  trainingCommands,
  type CliIo,
} from "@stepwise/sdk/cli";
import { COMMAND_SUMMARIES } from "./commands/command-summaries.js";

/** This package's package.json: one level above both src/ and dist/. */
const MANIFEST = new URL("../package.json", import.meta.url);

const serverCommand = lazyCommand(
  "server",
  COMMAND_SUMMARIES.server,
  async () => (await import("./commands/server.js")).serverCommand,
);
const migrateCommand = lazyCommand(
  "migrate",
  COMMAND_SUMMARIES.migrate,
  async () => (await import("./commands/migrate.js")).migrateCommand,
);

/** Runs `stepwise <argv>`; resolves to the process exit code and never throws. */
export function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  // The SDK's list has both names (delegates that load this package); these replace them in place.
  return sdkMain(argv, io, trainingCommands([serverCommand, migrateCommand]), () => cliVersion(MANIFEST));
}
