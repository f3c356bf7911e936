/**
 * `stepwise server` (and `stepwise migrate`) as the SDK's bin sees it. The server (SQLite, a native addon, and the web UI)
 * is not part of the SDK: it ships in `@stepwise/cli`. When that package can be loaded from here
 * (installed beside the SDK in a project), its `server` command runs; otherwise the user is told
 * how to get it. Globally, install `@stepwise/cli` alone: it has every SDK command, and npm refuses
 * a second global package with the same `stepwise` bin.
 */
import { UsageError } from "@stepwise/protocol";
import type { CliIo } from "./cli-io.js";
import type { Command } from "./commands/command.js";
import { COMMAND_SUMMARIES } from "./commands/command-summaries.js";

/** The package that provides the server command, and how to run it without installing it. */
export const SERVER_PACKAGE = "@stepwise/cli";
const HOW_TO_INSTALL = `npx ${SERVER_PACKAGE} server  (or: npm install ${SERVER_PACKAGE})`;

interface ServerPackage {
  serverCommand: Command;
  /** Absent from versions before `migrate` was exported. */
  migrateCommand?: Command;
}

export const serverCommandDelegate: Command = {
  name: "server",
  summary: COMMAND_SUMMARIES.server,
  async run(argv: string[], io: CliIo): Promise<number> {
    const loaded = await loadServerPackage();
    if (loaded === null)
      throw new UsageError(
        `the server is not installed here; it ships in ${SERVER_PACKAGE}: ${HOW_TO_INSTALL}`,
      );
    return loaded.serverCommand.run(argv, io);
  },
};

/** `stepwise migrate`, which also ships in `@stepwise/cli` (it copies a server's store). */
export const migrateCommandDelegate: Command = {
  name: "migrate",
  summary: COMMAND_SUMMARIES.migrate,
  async run(argv: string[], io: CliIo): Promise<number> {
    const loaded = await loadServerPackage();
    if (loaded?.migrateCommand === undefined)
      throw new UsageError(
        `stepwise migrate needs ${SERVER_PACKAGE}, which is not installed here${loaded === null ? "" : " in a version that has it"}: ` +
          `npx ${SERVER_PACKAGE} migrate …  (or: npm install ${SERVER_PACKAGE})`,
      );
    return loaded.migrateCommand.run(argv, io);
  },
};

async function loadServerPackage(): Promise<ServerPackage | null> {
  // A variable, not a literal: the SDK must not depend on the server package, only use it if present.
  const name: string = SERVER_PACKAGE;
  try {
    return (await import(name)) as ServerPackage;
  } catch (error) {
    if (isPackageMissing(error, name)) return null;
    throw error;
  }
}

/**
 * Whether `import(name)` failed because the package `name` itself is not installed. A package
 * that is there but broken (one of its own dependencies missing) fails with the same code, naming
 * the missing dependency and the importing file (whose path contains `name`): that error is not
 * "not installed" and must reach the user as it is.
 */
export function isPackageMissing(error: unknown, name: string): boolean {
  return (
    error instanceof Error &&
    (error as { code?: unknown }).code === "ERR_MODULE_NOT_FOUND" &&
    error.message.startsWith(`Cannot find package '${name}'`)
  );
}
