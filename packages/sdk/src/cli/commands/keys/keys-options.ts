/**
 * Parses `stepwise keys <ls|create|revoke> ...`. Each subcommand accepts only its own options,
 * so `keys ls --name x` fails before any request is sent.
 */
import { parseArgs } from "node:util";
import { DEFAULT_ENTITY } from "../../../settings/resolve-settings.js";
import { commandUsageError, usageErrorFromParseArgs } from "../../parse-args-error.js";

interface Connection {
  json: boolean;
  baseUrl: string | null;
  apiKey: string | null;
}

export type KeysCommandOptions =
  | ({ action: "ls" } & Connection)
  | ({ action: "create"; name: string; entity: string; admin: boolean } & Connection)
  | ({ action: "revoke"; id: string } & Connection);

const COMMON = {
  json: { type: "boolean", default: false },
  "base-url": { type: "string" },
  "api-key": { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const;

const CREATE = {
  ...COMMON,
  name: { type: "string" },
  entity: { type: "string" },
  admin: { type: "boolean", default: false },
} as const;

const SUBCOMMANDS = "ls, create or revoke";

/** `env` supplies STEPWISE_ENTITY, the default of --entity (as for `init()`; else "local"). */
export function parseKeysArgs(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): KeysCommandOptions | "help" {
  const [action, ...rest] = argv;
  if (action === "--help" || action === "-h") return "help";
  if (action === undefined)
    throw commandUsageError("keys", `missing subcommand: ${SUBCOMMANDS}, e.g. stepwise keys ls`);
  if (action === "ls") {
    const { values, positionals } = parse(rest, COMMON);
    if (values.help) return "help";
    noPositionals("ls", positionals);
    return { action, ...connection(values) };
  }
  if (action === "create") {
    const { values, positionals } = parse(rest, CREATE);
    if (values.help) return "help";
    noPositionals("create", positionals);
    if (values.name === undefined || values.name.trim() === "")
      throw commandUsageError("keys", "keys create needs --name <name>, e.g. --name ci");
    const entity = values.entity ?? (env["STEPWISE_ENTITY"] || DEFAULT_ENTITY);
    return { action, name: values.name, entity, admin: values.admin, ...connection(values) };
  }
  if (action === "revoke") {
    const { values, positionals } = parse(rest, COMMON);
    if (values.help) return "help";
    const [id, ...extra] = positionals;
    if (id === undefined || id === "")
      throw commandUsageError("keys", "keys revoke needs a key id as 'stepwise keys ls' shows it");
    if (extra.length > 0)
      throw commandUsageError("keys", `keys revoke takes one key id, got ${positionals.length}`);
    return { action, id, ...connection(values) };
  }
  throw commandUsageError("keys", `unknown subcommand '${action}'; use ${SUBCOMMANDS}`);
}

function parse<O extends typeof COMMON | typeof CREATE>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageErrorFromParseArgs(error, "keys");
  }
}

function noPositionals(action: string, positionals: readonly string[]): void {
  if (positionals.length > 0)
    throw commandUsageError("keys", `keys ${action} takes no arguments, got '${positionals.join(" ")}'`);
}

function connection(values: { json: boolean; "base-url"?: string; "api-key"?: string }): Connection {
  return { json: values.json, baseUrl: values["base-url"] ?? null, apiKey: values["api-key"] ?? null };
}
