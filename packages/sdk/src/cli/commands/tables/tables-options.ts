/**
 * Parses `stepwise tables ls <run>` and `stepwise tables export <run> <key> …`; every mistake
 * fails before a request is sent, naming the option and the fix.
 */
import { parseArgs } from "node:util";
import { commandUsageError, usageErrorFromParseArgs } from "../../parse-args-error.js";

export interface TablesConnection {
  baseUrl: string | null;
  apiKey: string | null;
}

export type TablesCommandOptions =
  | ({ action: "ls"; run: string; json: boolean } & TablesConnection)
  | ({
      action: "export";
      run: string;
      key: string;
      step: number | undefined;
      where: string | undefined;
      sort: string[];
      columns: string[] | undefined;
      format: "csv" | "parquet";
      out: string | null;
    } & TablesConnection);

const OPTIONS = {
  json: { type: "boolean", default: false },
  step: { type: "string" },
  where: { type: "string" },
  sort: { type: "string", multiple: true },
  columns: { type: "string" },
  format: { type: "string" },
  out: { type: "string", short: "o" },
  "base-url": { type: "string" },
  "api-key": { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const;

const ARITY = { ls: ["<entity/project/run>"], export: ["<entity/project/run>", "<key>"] } as const;

export function parseTablesArgs(argv: readonly string[]): TablesCommandOptions | "help" {
  const [action, ...rest] = argv;
  if (action === "--help" || action === "-h") return "help";
  if (action === undefined)
    throw commandUsageError(
      "tables",
      "missing subcommand: ls or export, e.g. stepwise tables ls me/proj/run1",
    );
  if (!(action in ARITY))
    throw commandUsageError("tables", `unknown subcommand '${action}'; use ls or export`);
  let parsed;
  try {
    parsed = parseArgs({
      args: joinSortValues(rest),
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw usageErrorFromParseArgs(error, "tables");
  }
  const { values, positionals } = parsed;
  if (values.help) return "help";
  const wanted = ARITY[action as keyof typeof ARITY];
  if (positionals.length !== wanted.length)
    throw commandUsageError(
      "tables",
      `tables ${action} takes ${wanted.join(" ")}, got ${positionals.length} argument(s)`,
    );
  const connection: TablesConnection = {
    baseUrl: values["base-url"] ?? null,
    apiKey: values["api-key"] ?? null,
  };
  const [run = "", key = ""] = positionals;
  if (action === "ls") {
    for (const name of ["step", "where", "sort", "columns", "format", "out"] as const)
      if (values[name] !== undefined)
        throw commandUsageError("tables", `--${name} goes with tables export, not ls`);
    return { action, run, json: values.json, ...connection };
  }
  if (values.json)
    throw commandUsageError("tables", "--json goes with tables ls; export writes the file itself");
  if (values.format !== "csv" && values.format !== "parquet")
    throw commandUsageError(
      "tables",
      values.format === undefined
        ? "tables export needs --format csv or --format parquet"
        : `--format '${values.format}' is not supported; use csv or parquet`,
    );
  let step: number | undefined;
  if (values.step !== undefined) {
    step = Number(values.step);
    if (values.step.trim() === "" || !Number.isFinite(step))
      throw commandUsageError(
        "tables",
        `--step '${values.step}' is not a number; give the step the table was logged at`,
      );
  }
  const columns = values.columns?.split(",").map((c) => c.trim());
  if (columns?.some((c) => c === ""))
    throw commandUsageError("tables", `--columns '${values.columns}' has an empty name; list them as a,b,c`);
  return {
    action: "export",
    run,
    key,
    step,
    where: values.where,
    sort: values.sort ?? [],
    columns,
    format: values.format,
    out: values.out ?? null,
    ...connection,
  };
}

/** `--sort -score` as `--sort=-score`: parseArgs refuses a value that starts with '-' as ambiguous. */
function joinSortValues(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const next = args[i + 1];
    if (args[i] === "--sort" && next !== undefined && /^-[^-]/.test(next)) {
      out.push(`--sort=${next}`);
      i++;
    } else out.push(args[i] as string);
  }
  return out;
}
