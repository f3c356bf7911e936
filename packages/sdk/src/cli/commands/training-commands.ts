/**
 * The registry of a training machine's commands: name, summary, and how to import the
 * implementation, which happens only when that command runs (lazy-command.ts).
 */
import { lazyCommand } from "../lazy-command.js";
import type { Command } from "./command.js";
import { COMMAND_SUMMARIES as S } from "./command-summaries.js";

const TRAINING_COMMANDS: readonly Command[] = [
  lazyCommand(
    "server",
    S.server,
    async () => (await import("../server-command-delegate.js")).serverCommandDelegate,
  ),
  lazyCommand("login", S.login, async () => (await import("./login.js")).loginCommand),
  lazyCommand("export", S.export, async () => (await import("./export.js")).exportCommand),
  lazyCommand("runs", S.runs, async () => (await import("./runs.js")).runsCommand),
  lazyCommand("sync", S.sync, async () => (await import("./sync.js")).syncCommand),
  lazyCommand("keys", S.keys, async () => (await import("./keys.js")).keysCommand),
  lazyCommand("files", S.files, async () => (await import("./files.js")).filesCommand),
  lazyCommand("presets", S.presets, async () => (await import("./presets.js")).presetsCommand),
  lazyCommand("tables", S.tables, async () => (await import("./tables.js")).tablesCommand),
  lazyCommand("artifact", S.artifact, async () => (await import("./artifact.js")).artifactCommand),
  lazyCommand(
    "migrate",
    S.migrate,
    async () => (await import("../server-command-delegate.js")).migrateCommandDelegate,
  ),
];

/** The commands of a training machine; a command in `extra` replaces the one of the same name. */
export function trainingCommands(extra: readonly Command[] = []): Command[] {
  return TRAINING_COMMANDS.map(
    (command) => extra.find((candidate) => candidate.name === command.name) ?? command,
  );
}
