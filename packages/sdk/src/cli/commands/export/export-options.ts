/**
 * Parses and checks `stepwise export` arguments. Every mistake becomes a UsageError (exit 2)
 * before any file is read, so a typo never produces half an export.
 */
import { parseArgs } from "node:util";
import { StepwiseError } from "@stepwise/protocol";
import { parseFilterExpression, type RunFilterInput } from "../../../api/run-query.js";
import { KeySelection } from "../../format/key-selection.js";
import { commandUsageError, usageErrorFromParseArgs } from "../../parse-args-error.js";

export const EXPORT_WHATS = ["history", "summary", "config", "run"] as const;
export const EXPORT_FORMATS = ["jsonl", "csv", "parquet"] as const;
export type ExportWhat = (typeof EXPORT_WHATS)[number];
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOptions {
  /** What the user typed: a run directory, `latest-run`, a `stepwise/` folder or a `.swlog` file. */
  target: string;
  /** Default "history". */
  what: ExportWhat;
  /** Default "jsonl"; "csv" and "parquet" only for history, "parquet" only from a server. */
  format: ExportFormat;
  /** Null: every key. */
  keys: KeySelection | null;
  /** Null: stdout. */
  out: string | null;
  /** For server targets; null: STEPWISE_BASE_URL, the credentials file, then http://127.0.0.1:8080. */
  baseUrl: string | null;
  /** For server targets; null: STEPWISE_API_KEY, then the credentials file. */
  apiKey: string | null;
  /** Project targets: run filters (ANDed), as `stepwise runs --filter` takes them. */
  filters: RunFilterInput[];
  /** Project targets: one file for all runs, with a `_run` column. */
  combined: boolean;
  /** Project targets: runs exported at once. */
  jobs: number;
  /** Project targets: a JSON summary on stdout. */
  json: boolean;
}

const ARG_OPTIONS = {
  what: { type: "string", default: "history" },
  format: { type: "string", default: "jsonl" },
  keys: { type: "string" },
  out: { type: "string", short: "o" },
  "base-url": { type: "string" },
  "api-key": { type: "string" },
  filter: { type: "string", multiple: true },
  combined: { type: "boolean", default: false },
  jobs: { type: "string", default: "4" },
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

/** Returns "help" for `--help`, else the checked options. */
export function parseExportArgs(argv: string[]): ExportOptions | "help" {
  const { values, positionals } = parseOrExplain(argv);
  if (values.help) return "help";
  const what = checkWhat(values.what);
  const format = checkFormat(values.format, what);
  const keys = values.keys === undefined ? null : checkKeys(values.keys, what);
  if (values.out === "") throw commandUsageError("export", "--out needs a file name");
  return {
    target: checkTarget(positionals),
    what,
    format,
    keys,
    out: values.out ?? null,
    baseUrl: values["base-url"] ?? null,
    apiKey: values["api-key"] ?? null,
    filters: (values.filter ?? []).map(checkFilter),
    combined: values.combined,
    jobs: checkJobs(values.jobs),
    json: values.json,
  };
}

function checkFilter(text: string): RunFilterInput {
  try {
    return parseFilterExpression(text);
  } catch (error) {
    if (error instanceof StepwiseError) throw commandUsageError("export", `--filter: ${error.message}`);
    throw error;
  }
}

function checkJobs(value: string): number {
  const jobs = Number(value);
  if (!/^\d+$/.test(value) || jobs < 1 || jobs > 64)
    throw commandUsageError("export", `--jobs must be a whole number from 1 to 64 (got '${value}')`);
  return jobs;
}

function parseOrExplain(argv: string[]): ReturnType<typeof parseExport> {
  try {
    return parseExport(argv);
  } catch (error) {
    throw usageErrorFromParseArgs(error, "export");
  }
}

function parseExport(argv: string[]) {
  return parseArgs({ args: argv, options: ARG_OPTIONS, allowPositionals: true, strict: true });
}

function checkTarget(positionals: string[]): string {
  const [target, ...extra] = positionals;
  if (target === undefined) throw commandUsageError("export", "missing <target>: pass a run directory");
  if (extra.length > 0) {
    throw commandUsageError(
      "export",
      `expected one <target>, got ${positionals.length}: ${positionals.join(" ")}`,
    );
  }
  return target;
}

function checkWhat(value: string): ExportWhat {
  const what = EXPORT_WHATS.find((candidate) => candidate === value);
  if (what === undefined)
    throw commandUsageError("export", `--what must be one of ${EXPORT_WHATS.join(", ")} (got '${value}')`);
  return what;
}

function checkFormat(value: string, what: ExportWhat): ExportFormat {
  const format = EXPORT_FORMATS.find((candidate) => candidate === value);
  if (format === undefined) {
    throw commandUsageError(
      "export",
      `--format must be one of ${EXPORT_FORMATS.join(", ")} (got '${value}')`,
    );
  }
  if (format !== "jsonl" && what !== "history") {
    throw commandUsageError(
      "export",
      `--format ${format} applies to --what history only; --what ${what} prints one JSON object`,
    );
  }
  return format;
}

function checkKeys(value: string, what: ExportWhat): KeySelection {
  if (what === "run")
    throw commandUsageError("export", "--keys applies to history, summary and config, not to --what run");
  const keys = KeySelection.parse(value);
  if (keys === null)
    throw commandUsageError("export", "--keys needs at least one key name, as in --keys loss,train.acc");
  return keys;
}
