/**
 * RunFilter and sort order → SQL for PostgreSQL, with the SQLite store's semantics
 * (sqlite/run-filter-sql.ts): typed comparisons on config/summary paths (1 never equals "1" or
 * true), `ne` true where the value is missing, missing values last in both directions, numbers
 * (booleans as 0/1) before text, text in code point order. Paths are read from a `jsonb` copy
 * of config and summary (`config_json`, `summary_json`) written beside the exact extended-JSON
 * text: jsonb has no NaN or ±Infinity, so the copy holds NaN as null and ±Infinity as ±9e999,
 * which is how SQLite's JSON functions read those tokens. Everything is bound as a parameter.
 * U+0000, which neither jsonb nor text holds, is U+FFFD in the copy and in every bound filter
 * value and path, so a filter for a string holding NUL finds it (and the same string with
 * U+FFFD there); keys, names and tags cannot hold NUL (limits.ts), so text columns never match it.
 */
import { InvalidDataError, splitDottedPath } from "@stepwise/protocol";
import type { RunFilter, RunListQuery } from "../store.js";
import type { RunListCursor } from "../../domain/run-list-cursor.js";

const TEXT_COLUMNS = {
  state: "state",
  group: "group_name",
  jobType: "job_type",
  name: "name",
  id: "run_id",
} as const;
const SORT_COLUMNS = {
  createdAt: "created_at",
  name: "name",
  state: "state",
  heartbeatAt: "heartbeat_at",
} as const;
const COMPARE = { lt: "<", lte: "<=", gt: ">", gte: ">=" } as const;
const INFINITY = "\u0000stepwise:inf";

/** The jsonb text of a config or summary: NaN → null, ±Infinity → ±9e999, NUL (which jsonb refuses) → U+FFFD. */
export function jsonbCopy(value: unknown): string {
  const clean = (v: unknown): unknown => {
    if (typeof v === "number")
      return Number.isNaN(v) ? null : Number.isFinite(v) ? v : `${INFINITY}${v > 0 ? "+" : "-"}`;
    if (typeof v === "string") return v.replaceAll("\u0000", "\uFFFD");
    if (Array.isArray(v)) return v.map(clean);
    if (typeof v === "object" && v !== null)
      return Object.fromEntries(
        Object.entries(v).map(([k, x]) => [k.replaceAll("\u0000", "\uFFFD"), clean(x)]),
      );
    return v;
  };
  return JSON.stringify(clean(value))
    .replaceAll(`"\\u0000stepwise:inf+"`, "9e999")
    .replaceAll(`"\\u0000stepwise:inf-"`, "-9e999");
}

/** A bound value as PostgreSQL can take it: U+0000 in strings (and arrays of them) → U+FFFD. */
function withoutNul(value: unknown): unknown {
  if (typeof value === "string") return value.replaceAll("\u0000", "\uFFFD");
  return Array.isArray(value) ? value.map(withoutNul) : value;
}

export function filterSql(filter: RunFilter, params: unknown[]): string {
  const p = (value: unknown): string => `$${params.push(withoutNul(value))}`;
  switch (filter.field) {
    case "tags":
      return `tags::jsonb ? ${p(filter.value)}`;
    case "config":
    case "summary":
      return jsonMatch(filter, p);
    default: {
      const column = TEXT_COLUMNS[filter.field];
      const { op, value } = filter;
      if (op === "in") return `${column} = ANY(${p(Array.isArray(value) ? value : [value])}::text[])`;
      if (typeof value !== "string")
        throw new InvalidDataError(`filter on ${column}: op "${op}" takes one string value`);
      if (op === "eq") return `${column} = ${p(value)}`;
      if (op === "ne") return `${column} <> ${p(value)}`;
      // Folded as SQLite's lower(): ASCII letters only (lower() under the C collation).
      if (op === "contains")
        return `strpos(lower(${column} COLLATE "C"), lower(${p(value)} COLLATE "C")) > 0`;
      throw new InvalidDataError(
        `filter on ${column}: unknown op "${String(op)}"; use eq, ne, in or contains`,
      );
    }
  }
}

type Bind = (value: unknown) => string;

function pathOf(field: "config" | "summary", dotted: string): string[] {
  const segments = splitDottedPath(dotted);
  if (segments.some((s) => s === ""))
    throw new InvalidDataError(
      `${field} path: "${dotted}" has an empty key; name a key like "opt.lr" (a literal dot written \\.)`,
    );
  return segments;
}

function jsonMatch(filter: Extract<RunFilter, { field: "config" | "summary" }>, p: Bind): string {
  const at = (): string => `(${filter.field}_json #> ${p(pathOf(filter.field, filter.path))}::text[])`;
  switch (filter.op) {
    case "exists":
      return filter.value === false ? `${at()} IS NULL` : `${at()} IS NOT NULL`;
    case "eq":
      return jsonEquals(at(), filter.value, p);
    case "ne":
      return `NOT COALESCE(${jsonEquals(at(), filter.value, p)}, false)`;
    case "in": {
      if (!Array.isArray(filter.value))
        throw new InvalidDataError(`filter on ${filter.field}.${filter.path}: "in" takes an array`);
      if (filter.value.length === 0) return "false";
      return `(${filter.value.map((v) => `COALESCE(${jsonEquals(at(), v, p)}, false)`).join(" OR ")})`;
    }
    default: {
      const value = filter.value;
      const v = at();
      if (typeof value === "number" && Number.isFinite(value))
        return `(jsonb_typeof(${v}) = 'number' AND (${v})::numeric ${COMPARE[filter.op]} ${p(String(value))}::numeric)`;
      if (typeof value === "string")
        return `(jsonb_typeof(${v}) = 'string' AND (${v} #>> '{}') COLLATE "C" ${COMPARE[filter.op]} ${p(value)})`;
      throw new InvalidDataError(
        `filter on ${filter.field}.${filter.path}: "${filter.op}" compares with a finite number or a string`,
      );
    }
  }
}

function jsonEquals(v: string, value: unknown, p: Bind): string {
  if (value === null || value === undefined) return `(jsonb_typeof(${v}) = 'null')`;
  if (typeof value === "boolean") return `(${v} = '${value ? "true" : "false"}'::jsonb)`;
  if (typeof value === "number") {
    if (Number.isNaN(value)) return `(jsonb_typeof(${v}) = 'null')`;
    return `(jsonb_typeof(${v}) = 'number' AND (${v})::numeric = ${p(Number.isFinite(value) ? String(value) : value > 0 ? "9e999" : "-9e999")}::numeric)`;
  }
  if (typeof value === "string") return `(jsonb_typeof(${v}) = 'string' AND (${v} #>> '{}') = ${p(value)})`;
  // Objects and arrays compare as JSON values (jsonb: key order does not matter here).
  return `(jsonb_typeof(${v}) IN ('object', 'array') AND ${v} = ${p(jsonbCopy(value))}::jsonb)`;
}

/** How a listing sorts: ORDER BY terms, the cursor value of a row, and the keyset condition after a cursor. */
export interface SortSql {
  /** The expression selected as `sort_value` (text or a number). */
  value: string;
  orderBy: string;
  /** The condition for rows after `cursor`. */
  after(cursor: RunListCursor): string;
}

export function sortSql(order: NonNullable<RunListQuery["order"]>, params: unknown[]): SortSql {
  const p = (value: unknown): string => `$${params.push(withoutNul(value))}`;
  const dir = order.desc ? "DESC" : "ASC";
  const cmp = order.desc ? "<" : ">";
  if (order.field !== "config" && order.field !== "summary") {
    const column = SORT_COLUMNS[order.field] as string | undefined;
    if (!column)
      throw new InvalidDataError(
        `order: unknown field "${String(order.field)}"; use createdAt, name, state, heartbeatAt, config or summary`,
      );
    const expr = order.field === "name" || order.field === "state" ? `${column} COLLATE "C"` : column;
    return {
      value: column,
      orderBy: `${expr} ${dir}, pk ${dir}`,
      after: (c) => `(${expr}, pk) ${cmp} (${p(c.value)}, ${p(c.pk)})`,
    };
  }
  // Missing (or JSON null, or NaN) last; then numbers and booleans (0/1), then text (objects as JSON text).
  const v = `(${order.field}_json #> ${p(pathOf(order.field, order.path))}::text[])`;
  const missing = `(${v} IS NULL OR jsonb_typeof(${v}) = 'null')`;
  const rank = `(CASE WHEN jsonb_typeof(${v}) IN ('number', 'boolean') THEN 0 ELSE 1 END)`;
  const num = `(CASE jsonb_typeof(${v}) WHEN 'number' THEN (${v})::numeric WHEN 'boolean' THEN (CASE WHEN ${v} = 'true'::jsonb THEN 1 ELSE 0 END) ELSE 0 END)`;
  const text = `(CASE jsonb_typeof(${v}) WHEN 'string' THEN ${v} #>> '{}' WHEN 'object' THEN ${v}::text WHEN 'array' THEN ${v}::text ELSE '' END) COLLATE "C"`;
  return {
    // The cursor keeps the value exactly: "n:<numeric>" or "t:<text>".
    value: `(CASE WHEN ${missing} THEN NULL WHEN ${rank} = 0 THEN 'n:' || ${num}::text ELSE 't:' || ${text} END)`,
    orderBy: `${missing} ASC, ${rank} ${dir}, ${num} ${dir}, ${text} ${dir}, pk ${dir}`,
    after: (c) => {
      if (c.missing) return `(${missing} AND pk ${cmp} ${p(c.pk)})`;
      const value = typeof c.value === "string" ? c.value : "";
      const isNumber = value.startsWith("n:");
      const key = `(${p(isNumber ? 0 : 1)}::int, ${p(isNumber ? value.slice(2) : "0")}::numeric, ${p(isNumber ? "" : value.slice(2))}::text COLLATE "C", ${p(c.pk)}::bigint)`;
      return `(${missing} OR (NOT ${missing} AND (${rank}, ${num}, ${text}, pk) ${cmp} ${key}))`;
    },
  };
}
