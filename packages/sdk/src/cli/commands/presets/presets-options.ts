/**
 * Parses `stepwise presets <ls|get|put|rm> ...`. Each subcommand takes exactly its positionals
 * (`get <id>`, `put <id> <file>`), so a mistake fails before any request is sent.
 */
import { parseArgs } from "node:util";
import { commandUsageError, usageErrorFromParseArgs } from "../../parse-args-error.js";

export interface PresetsConnection {
  json: boolean;
  baseUrl: string | null;
  apiKey: string | null;
}

export type PresetsCommandOptions =
  | ({ action: "ls" } & PresetsConnection)
  | ({ action: "get" | "rm"; id: string } & PresetsConnection)
  | ({ action: "put"; id: string; file: string } & PresetsConnection);

const OPTIONS = {
  json: { type: "boolean", default: false },
  "base-url": { type: "string" },
  "api-key": { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const;

const ARITY = { ls: [], get: ["<id>"], rm: ["<id>"], put: ["<id>", "<file.json | ->"] } as const;

export function parsePresetsArgs(argv: readonly string[]): PresetsCommandOptions | "help" {
  const [action, ...rest] = argv;
  if (action === "--help" || action === "-h") return "help";
  if (action === undefined)
    throw commandUsageError("presets", "missing subcommand: ls, get, put or rm, e.g. stepwise presets ls");
  if (!(action in ARITY))
    throw commandUsageError("presets", `unknown subcommand '${action}'; use ls, get, put or rm`);
  const wanted = ARITY[action as keyof typeof ARITY];
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageErrorFromParseArgs(error, "presets");
  }
  const { values, positionals } = parsed;
  if (values.help) return "help";
  if (positionals.length !== wanted.length)
    throw commandUsageError(
      "presets",
      `presets ${action} takes ${wanted.length === 0 ? "no arguments" : wanted.join(" ")}, got ${positionals.length}`,
    );
  const connection: PresetsConnection = {
    json: values.json,
    baseUrl: values["base-url"] ?? null,
    apiKey: values["api-key"] ?? null,
  };
  const [id = "", file = ""] = positionals;
  if (action === "ls") return { action, ...connection };
  if (action === "put") return { action, id, file, ...connection };
  return { action: action as "get" | "rm", id, ...connection };
}
