/** Parses `stepwise sync` arguments. */
import { parseArgs } from "node:util";
import { commandUsageError, usageErrorFromParseArgs } from "../../parse-args-error.js";

export interface SyncCommandOptions {
  /** Run directories; empty: every unsynced run under the stepwise folder. */
  targets: string[];
  baseUrl: string | null;
  apiKey: string | null;
  json: boolean;
  /** Without targets: every run directory, synced or not (after restoring a server from a backup). */
  all: boolean;
  /** --resume / --new-id: where a run whose id the server refused goes (null: refuse, exit 8). */
  onConflict: "resume" | "new-id" | null;
}

const ARG_OPTIONS = {
  "base-url": { type: "string" },
  "api-key": { type: "string" },
  json: { type: "boolean", default: false },
  all: { type: "boolean", default: false },
  resume: { type: "boolean", default: false },
  "new-id": { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

export function parseSyncArgs(argv: string[]): SyncCommandOptions | "help" {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: ARG_OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageErrorFromParseArgs(error, "sync");
  }
  const { values, positionals } = parsed;
  if (values.help) return "help";
  if (values.resume && values["new-id"])
    throw commandUsageError(
      "sync",
      "--resume and --new-id exclude each other: pick where a refused run goes",
    );
  return {
    targets: positionals,
    baseUrl: values["base-url"] ?? null,
    apiKey: values["api-key"] ?? null,
    json: values.json,
    all: values.all,
    onConflict: values.resume ? "resume" : values["new-id"] ? "new-id" : null,
  };
}
