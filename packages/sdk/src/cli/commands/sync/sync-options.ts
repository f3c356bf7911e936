/** Parses `stepwise sync` arguments. */
import { parseArgs } from "node:util";
import { usageErrorFromParseArgs } from "../../parse-args-error.js";

export interface SyncCommandOptions {
  /** Run directories; empty: every unsynced run under the stepwise folder. */
  targets: string[];
  baseUrl: string | null;
  apiKey: string | null;
  json: boolean;
  /** Without targets: every run directory, synced or not (after restoring a server from a backup). */
  all: boolean;
}

const ARG_OPTIONS = {
  "base-url": { type: "string" },
  "api-key": { type: "string" },
  json: { type: "boolean", default: false },
  all: { type: "boolean", default: false },
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
  return {
    targets: positionals,
    baseUrl: values["base-url"] ?? null,
    apiKey: values["api-key"] ?? null,
    json: values.json,
    all: values.all,
  };
}
