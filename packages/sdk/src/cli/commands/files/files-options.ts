/** Parses and checks `stepwise files ls|get|put` arguments before any request is sent. */
import { parseArgs } from "node:util";
import { filePathSchema } from "@stepwise/protocol";
import { parseRunPath } from "../../../api/run-path.js";
import { commandUsageError, usageErrorFromParseArgs } from "../../parse-args-error.js";

interface Common {
  /** `entity/project/runId`. */
  run: string;
  json: boolean;
  baseUrl: string | null;
  apiKey: string | null;
}

export type FilesCommandOptions =
  | (Common & { action: "ls" })
  | (Common & { action: "get"; paths: string[]; out: string })
  | (Common & { action: "put"; localPaths: string[]; name: string | null });

const ARG_OPTIONS = {
  out: { type: "string" },
  name: { type: "string" },
  json: { type: "boolean", default: false },
  "base-url": { type: "string" },
  "api-key": { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const;

const ACTIONS = ["ls", "get", "put"] as const;

export function parseFilesArgs(argv: string[]): FilesCommandOptions | "help" {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: ARG_OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageErrorFromParseArgs(error, "files");
  }
  const { values, positionals } = parsed;
  if (values.help) return "help";
  const [action, run, ...rest] = positionals;
  if (action === undefined)
    throw commandUsageError(
      "files",
      "missing the action: ls, get or put, e.g. stepwise files ls me/mnist/abc123",
    );
  if (!(ACTIONS as readonly string[]).includes(action))
    throw commandUsageError("files", `unknown action '${action}'; the actions are ls, get and put`);
  if (run === undefined)
    throw commandUsageError(
      "files",
      `missing <entity/project/runId>, e.g. stepwise files ${action} me/mnist/abc123`,
    );
  explain(() => parseRunPath(run));
  const common: Common = {
    run,
    json: values.json,
    baseUrl: values["base-url"] ?? null,
    apiKey: values["api-key"] ?? null,
  };
  if (values.out !== undefined && action !== "get")
    throw commandUsageError("files", "--out is for 'get' only");
  if (values.name !== undefined && action !== "put")
    throw commandUsageError("files", "--name is for 'put' only");
  if (action === "ls") {
    if (rest.length > 0)
      throw commandUsageError("files", `'ls' takes one <entity/project/runId>, got ${rest.join(" ")} too`);
    return { ...common, action };
  }
  if (rest.length === 0)
    throw commandUsageError(
      "files",
      action === "get" ? "name the run files to get, e.g. model/weights.bin" : "name the local files to put",
    );
  if (action === "get") {
    for (const path of rest)
      if (!filePathSchema.safeParse(path).success)
        throw commandUsageError(
          "files",
          `'${path}' is not a run file path (relative, / separators, no empty, . or .. segment)`,
        );
    return { ...common, action, paths: rest, out: values.out ?? "." };
  }
  const name = values.name ?? null;
  if (name !== null && rest.length > 1)
    throw commandUsageError("files", `--name names one file; ${rest.length} local files were given`);
  if (name !== null && !filePathSchema.safeParse(name).success)
    throw commandUsageError(
      "files",
      `--name '${name}' is not a run file path (relative, / separators, no empty, . or .. segment)`,
    );
  return { ...common, action: "put", localPaths: rest, name };
}

function explain<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof Error) throw commandUsageError("files", error.message);
    throw error;
  }
}
