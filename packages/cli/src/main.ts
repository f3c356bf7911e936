/**
 * The full `stepwise` command: the SDK's training-machine commands (login, export, runs, sync)
 * plus the `server` command of this package, which carries the server and the web UI.
 */
import { cliVersion, main as sdkMain, processIo, trainingCommands, type CliIo } from "@stepwise/sdk/cli";
import { serverCommand } from "./commands/server.js";
import { migrateCommand } from "./commands/migrate.js";

/** This package's package.json: one level above both src/ and dist/. */
const MANIFEST = new URL("../package.json", import.meta.url);

/** Runs `stepwise <argv>`; resolves to the process exit code and never throws. */
export function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  return sdkMain(argv, io, [...trainingCommands([serverCommand]), migrateCommand], () =>
    cliVersion(MANIFEST),
  );
}
