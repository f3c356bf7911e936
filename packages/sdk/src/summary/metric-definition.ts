/**
 * `defineMetric` arguments: runtime validation (callers may be plain JS), the W&B merge rules
 * for repeated definitions of one name (`definedMetric.With`), and the escaped dotted-name
 * helpers that turn a metric name into a summary key path and back.
 */
import { joinDottedPath, splitDottedPath, SUMMARY_AGGREGATIONS, UsageError } from "@stepwise/protocol";
import type { Goal, KeyPath, MetricRecord, SummaryAggregation } from "@stepwise/protocol";
import { unknownOptionMessage } from "../settings/unknown-option.js";

export interface DefineMetricOptions {
  /** Name of the metric to use as this metric's default x-axis. */
  stepMetric?: string;
  /** Insert the latest step metric value into rows that lack it (default: true when stepMetric is given). */
  stepSync?: boolean;
  /** Hide the metric from automatic charts. */
  hidden?: boolean;
  /** Comma-separated aggregations: min, max, mean, first, last, best, none (and copy, accepted as last). */
  summary?: string;
  /** What "best" means; required by the `best` aggregation. */
  goal?: "minimize" | "maximize";
  /** Replace an earlier definition of the same name instead of merging with it. */
  overwrite?: boolean;
}

/** One validated `defineMetric` call, before it is merged with an earlier definition. */
export interface MetricUpdate {
  name: string;
  glob: boolean;
  /** Summary path of a concrete metric; null for a glob. */
  path: KeyPath | null;
  /** null: not given (keeps the earlier step metric when merging). */
  stepMetric: string | null;
  stepSync: boolean;
  hidden: boolean;
  /** null: not given (keeps the earlier aggregations, including `none`). */
  summary: SummaryAggregation[] | null;
  /** null: not given (keeps the earlier goal). */
  goal: Goal | null;
  overwrite: boolean;
}

const OPTION_NAMES: readonly string[] = ["stepMetric", "stepSync", "hidden", "summary", "goal", "overwrite"];

function usage(message: string): UsageError {
  return new UsageError(`defineMetric(): ${message}`);
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function readString(options: Record<string, unknown>, key: string): string | undefined {
  const value = options[key];
  if (value === undefined || typeof value === "string") return value;
  throw usage(`${key} must be a string (got ${describeType(value)})`);
}

function readBoolean(options: Record<string, unknown>, key: string): boolean | undefined {
  const value = options[key];
  if (value === undefined || typeof value === "boolean") return value;
  throw usage(`${key} must be true or false (got ${describeType(value)})`);
}

function readOptions(options: unknown): Record<string, unknown> {
  if (options === undefined || options === null) return {};
  if (typeof options !== "object" || Array.isArray(options)) {
    throw usage(`options must be an object such as { summary: "min" } (got ${describeType(options)})`);
  }
  const record = options as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!OPTION_NAMES.includes(key)) throw usage(unknownOptionMessage(key, OPTION_NAMES));
  }
  return record;
}

/** Parses the comma-separated summary list; null when empty (W&B treats an empty summary as not given). */
function parseSummary(raw: string): SummaryAggregation[] | null {
  // Friendlier than W&B: items are trimmed and empty items skipped, so "min, max" works.
  const items = raw
    .split(",")
    .map((item) => item.trim().toLowerCase())
    .filter((item) => item.length > 0);
  if (items.length === 0) return null;
  const chosen = new Set<string>();
  for (const item of items) {
    // `copy` is accepted for W&B compatibility and means "no aggregation" (plain last value).
    if (item === "copy") continue;
    if (!(SUMMARY_AGGREGATIONS as readonly string[]).includes(item)) {
      throw usage(
        `summary op "${item}" is not supported; use a comma-separated list of ` +
          `${SUMMARY_AGGREGATIONS.join(", ")} (or copy)`,
      );
    }
    chosen.add(item);
  }
  return SUMMARY_AGGREGATIONS.filter((op) => chosen.has(op));
}

/** W&B accepts any goal whose first three characters are min or max, case-insensitively. */
function parseGoal(raw: string): Goal | null {
  if (raw.length === 0) return null;
  const head = raw.slice(0, 3).toLowerCase();
  if (head === "min") return "minimize";
  if (head === "max") return "maximize";
  throw usage(`goal "${raw}" is not supported; use "minimize" or "maximize"`);
}

/** Validates a `defineMetric(name, options)` call; throws UsageError naming the argument and the fix. */
export function parseDefineMetric(name: unknown, options: unknown): MetricUpdate {
  if (typeof name !== "string") throw usage(`name must be a string (got ${describeType(name)})`);
  if (name.length === 0) {
    throw usage(`name must be a non-empty metric name, e.g. defineMetric("loss", { summary: "min" })`);
  }
  const star = name.indexOf("*");
  if (star !== -1 && star !== name.length - 1) {
    throw usage(`name "${name}" may use "*" only as its last character (glob suffixes only), e.g. "train/*"`);
  }
  const opts = readOptions(options);
  const rawStepMetric = readString(opts, "stepMetric");
  const rawSummary = readString(opts, "summary");
  const rawGoal = readString(opts, "goal");
  const stepSync = readBoolean(opts, "stepSync");
  const hidden = readBoolean(opts, "hidden");
  const overwrite = readBoolean(opts, "overwrite");

  // As in W&B, an empty string for stepMetric/summary/goal counts as "not given".
  const stepMetric = rawStepMetric === undefined || rawStepMetric.length === 0 ? null : rawStepMetric;
  const glob = star !== -1;
  return {
    name,
    glob,
    path: glob ? null : splitEscapedDottedName(name),
    stepMetric,
    // W&B `Metric.__init__`: step_sync defaults to true when a step metric is given.
    stepSync: stepSync ?? stepMetric !== null,
    hidden: hidden ?? false,
    summary: rawSummary === undefined ? null : parseSummary(rawSummary),
    goal: rawGoal === undefined ? null : parseGoal(rawGoal),
    overwrite: overwrite ?? false,
  };
}

/**
 * The effective definition after `update` (W&B `definedMetric.With`): without overwrite,
 * stepSync and hidden are OR-ed, aggregations are OR-ed, `none` and goal and stepMetric are
 * replaced only when given. Throws when the result asks for `best` without a goal.
 */
export function mergeMetric(previous: MetricRecord | undefined, update: MetricUpdate): MetricRecord {
  const base = update.overwrite ? undefined : previous;
  let summary: SummaryAggregation[] = base === undefined ? [] : [...base.summary];
  if (update.summary !== null) {
    // A given summary replaces the `none` flag and adds its aggregations to the earlier ones.
    const chosen = new Set<SummaryAggregation>(summary.filter((op) => op !== "none"));
    for (const op of update.summary) chosen.add(op);
    summary = SUMMARY_AGGREGATIONS.filter((op) => chosen.has(op));
  }
  const goal = update.goal ?? base?.goal ?? null;
  if (summary.includes("best") && goal === null) {
    throw usage(
      `summary "best" for "${update.name}" needs a goal: pass goal: "minimize" or "maximize" ` +
        `so the run knows which value is best`,
    );
  }
  return {
    t: "metric",
    name: update.name,
    path: update.path,
    glob: update.glob,
    stepMetric: update.stepMetric ?? base?.stepMetric ?? null,
    stepSync: (base?.stepSync ?? false) || update.stepSync,
    hidden: (base?.hidden ?? false) || update.hidden,
    summary,
    goal,
    expandedFrom: null,
  };
}

/** The concrete definition a glob gives a newly seen key (W&B `createGlobMetrics`). */
export function expandGlobMetric(glob: MetricRecord, path: KeyPath): MetricRecord {
  return {
    ...glob,
    name: joinEscapedPath(path),
    path: [...path],
    glob: false,
    summary: [...glob.summary],
    expandedFrom: glob.name,
  };
}

/** A copy that callers may keep or change without touching the engine's state. */
export function cloneMetricRecord(record: MetricRecord): MetricRecord {
  return { ...record, path: record.path === null ? null : [...record.path], summary: [...record.summary] };
}

/**
 * Splits a metric name on unescaped dots; `\.` is a literal dot and any other backslash stays
 * literal (W&B `splitEscapedDottedMetricName`; a trailing backslash is kept here, W&B drops it).
 * As in W&B a trailing empty segment is dropped, so "a." names "a".
 */
export function splitEscapedDottedName(name: string): KeyPath {
  const parts = splitDottedPath(name);
  if (parts.length > 1 && parts[parts.length - 1] === "") parts.pop();
  return parts;
}

/** The dotted name of a key path, a literal `.` inside a segment written `\.` (used for glob matching). */
export function joinEscapedPath(path: readonly string[]): string {
  return joinDottedPath(path);
}

/** An unambiguous map key for a path (segments may hold dots and backslashes, but not NUL in practice). */
export function pathKey(path: readonly string[]): string {
  return path.length === 1 ? path[0]! : path.join("\u0000");
}
