/**
 * Parses and checks `stepwise runs` arguments. Filters and order are parsed here, with the
 * SDK's expression parser, so that a typo fails before any request is sent.
 */
import { parseArgs } from "node:util";
import { StepwiseError } from "@stepwise/protocol";
import {
  parseFilterExpression,
  parseRunOrder,
  type RunFilterInput,
  type RunOrderInput,
} from "../../../api/run-query.js";
import { commandUsageError, usageErrorFromParseArgs } from "../../parse-args-error.js";

export interface RunsCommandOptions {
  /** `entity/project`. */
  project: string;
  filters: RunFilterInput[];
  order: RunOrderInput | null;
  /** Default 100. */
  limit: number;
  json: boolean;
  baseUrl: string | null;
  apiKey: string | null;
}

const ARG_OPTIONS = {
  filter: { type: "string", multiple: true },
  order: { type: "string" },
  limit: { type: "string", default: "100" },
  json: { type: "boolean", default: false },
  "base-url": { type: "string" },
  "api-key": { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const;

export function parseRunsArgs(argv: string[]): RunsCommandOptions | "help" {
  let parsed;
  try {
    parsed = parseArgs({
      args: joinOrderValue(argv),
      options: ARG_OPTIONS,
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw usageErrorFromParseArgs(error, "runs");
  }
  const { values, positionals } = parsed;
  if (values.help) return "help";
  const [project, ...extra] = positionals;
  if (project === undefined)
    throw commandUsageError("runs", "missing <entity/project>, e.g. stepwise runs me/mnist");
  if (extra.length > 0)
    throw commandUsageError("runs", `expected one <entity/project>, got ${positionals.length}`);
  if (!/^\d{1,7}$/.test(values.limit) || Number(values.limit) < 1)
    throw commandUsageError("runs", `--limit must be a whole number of at least 1 (got '${values.limit}')`);
  return {
    project,
    filters: (values.filter ?? []).map((text) => explain(() => parseFilterExpression(text))),
    order: values.order === undefined ? null : explain(() => parseRunOrder(values.order as string)),
    limit: Number(values.limit),
    json: values.json,
    baseUrl: values["base-url"] ?? null,
    apiKey: values["api-key"] ?? null,
  };
}

/**
 * `--order -summary.loss` is the natural spelling of a descending order, but parseArgs takes a
 * value starting with `-` for an option; join it as `--order=-summary.loss` first.
 */
function joinOrderValue(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    if (arg === "--order" && next !== undefined && /^-[^-]/.test(next)) {
      out.push(`--order=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/** The SDK's message names the expression and gives examples; add where the help is. */
function explain<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof StepwiseError) throw commandUsageError("runs", error.message);
    throw error;
  }
}
