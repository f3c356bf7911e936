/**
 * RunFilter and sort order → SQL for SQLite: JSON paths through json_type/json_extract (typed:
 * 1 never equals "1" or true), `ne` true for runs where the value is missing, missing values last
 * in both sort directions. Everything is bound as parameters; only column names and fixed
 * operators are spliced in.
 */
import { InvalidDataError } from "@stepwise/protocol";
import type { RunFilter, RunListQuery } from "../store.js";
import { sqliteJsonPath } from "./json-path.js";

export type SqlParam = string | number | null;

const TEXT_COLUMNS = { group: "group_name", jobType: "job_type", name: "name", id: "run_id" } as const;
const SORT_COLUMNS = {
  createdAt: "created_at",
  name: "name",
  state: "state",
  heartbeatAt: "heartbeat_at",
} as const;
const COMPARE = { lt: "<", lte: "<=", gt: ">", gte: ">=" } as const;

export function filterSql(filter: RunFilter, params: SqlParam[]): string {
  switch (filter.field) {
    case "state":
      return columnMatch("state", filter.op, filter.value, params);
    case "tags":
      params.push(filter.value);
      return "EXISTS (SELECT 1 FROM json_each(runs.tags) WHERE json_each.value = ?)";
    case "group":
    case "jobType":
    case "name":
    case "id":
      return columnMatch(TEXT_COLUMNS[filter.field], filter.op, filter.value, params);
    case "config":
    case "summary":
      return jsonMatch(filter, params);
  }
}

/**
 * Most `?` parameters SQLite binds in one statement (SQLITE_MAX_VARIABLE_NUMBER, 32,766 since
 * 3.32); the run list's cursor and paging take a few more.
 */
const MAX_FILTER_PARAMS = 32_700;

/** Refuses filters that need more bound values than SQLite takes, naming the fix. */
export function assertFilterParamsFit(params: readonly SqlParam[]): void {
  if (params.length > MAX_FILTER_PARAMS)
    throw new InvalidDataError(
      `the run filters need ${params.length} bound values, more than the ${MAX_FILTER_PARAMS} one query ` +
        'can take (each value of an "in" list on config/summary counts 3): use fewer or shorter lists, or split the query',
    );
}

/**
 * `a OR b OR …` as a balanced tree: SQLite refuses expressions deeper than 1,000, which a chain
 * of 1,000 alternatives (an "in" list on config/summary) would be.
 */
function anyOf(terms: readonly string[]): string {
  if (terms.length <= 8) return `(${terms.join(" OR ")})`;
  const half = Math.ceil(terms.length / 2);
  return `(${anyOf(terms.slice(0, half))} OR ${anyOf(terms.slice(half))})`;
}

function columnMatch(column: string, op: string, value: string | string[], params: SqlParam[]): string {
  if (op === "in") {
    const values = Array.isArray(value) ? value : [value];
    if (values.length === 0) return "1 = 0";
    params.push(...values);
    return `${column} IN (${values.map(() => "?").join(", ")})`;
  }
  if (typeof value !== "string")
    throw new InvalidDataError(`filter on ${column}: op "${op}" takes one string value`);
  params.push(value);
  if (op === "eq") return `${column} = ?`;
  if (op === "ne") return `${column} <> ?`;
  if (op === "contains") return `instr(lower(${column}), lower(?)) > 0`;
  throw new InvalidDataError(`filter on ${column}: unknown op "${op}"; use eq, ne, in or contains`);
}

function jsonMatch(filter: Extract<RunFilter, { field: "config" | "summary" }>, params: SqlParam[]): string {
  const column = filter.field;
  const path = sqliteJsonPath(filter.field, filter.path);
  switch (filter.op) {
    case "exists":
      params.push(path);
      return filter.value === false
        ? `json_type(${column}, ?) IS NULL`
        : `json_type(${column}, ?) IS NOT NULL`;
    case "eq":
      return jsonEquals(column, path, filter.value, params);
    case "ne":
      return `NOT COALESCE((${jsonEquals(column, path, filter.value, params)}), 0)`;
    case "in": {
      if (!Array.isArray(filter.value))
        throw new InvalidDataError(`filter on ${column}.${filter.path}: "in" takes an array`);
      if (filter.value.length === 0) return "1 = 0";
      return anyOf(filter.value.map((v) => `COALESCE((${jsonEquals(column, path, v, params)}), 0)`));
    }
    default: {
      const value = filter.value;
      if (typeof value === "number" && Number.isFinite(value)) {
        params.push(path, path, value);
        return `(json_type(${column}, ?) IN ('integer', 'real') AND json_extract(${column}, ?) ${COMPARE[filter.op]} ?)`;
      }
      if (typeof value === "string") {
        params.push(path, path, value);
        return `(json_type(${column}, ?) = 'text' AND json_extract(${column}, ?) ${COMPARE[filter.op]} ?)`;
      }
      throw new InvalidDataError(
        `filter on ${column}.${filter.path}: "${filter.op}" compares with a finite number or a string`,
      );
    }
  }
}

function jsonEquals(column: string, path: string, value: unknown, params: SqlParam[]): string {
  if (value === null || value === undefined) {
    params.push(path);
    return `json_type(${column}, ?) = 'null'`;
  }
  if (typeof value === "boolean") {
    params.push(path);
    return `json_type(${column}, ?) = '${value ? "true" : "false"}'`;
  }
  if (typeof value === "number") {
    params.push(path, path, value);
    return `(json_type(${column}, ?) IN ('integer', 'real') AND json_extract(${column}, ?) = ?)`;
  }
  if (typeof value === "string") {
    params.push(path, path, value);
    return `(json_type(${column}, ?) = 'text' AND json_extract(${column}, ?) = ?)`;
  }
  // Objects and arrays compare as minified JSON text (key order matters).
  params.push(path, path, JSON.stringify(value));
  return `(json_type(${column}, ?) IN ('object', 'array') AND json_extract(${column}, ?) = json(?))`;
}

/**
 * The expression a listing sorts on with its parameters; `nullable` when it can be NULL (a
 * missing config/summary value), which needs the slower missing-last ordering.
 */
export function sortSql(order: NonNullable<RunListQuery["order"]>): {
  expr: string;
  params: SqlParam[];
  nullable: boolean;
} {
  if (order.field === "config" || order.field === "summary") {
    // Objects sort by their JSON text; a boolean sorts as 0/1.
    return {
      expr: `json_extract(${order.field}, ?)`,
      params: [sqliteJsonPath(order.field, order.path)],
      nullable: true,
    };
  }
  const column = SORT_COLUMNS[order.field] as string | undefined;
  if (!column)
    throw new InvalidDataError(
      `order: unknown field "${String(order.field)}"; use createdAt, name, state, heartbeatAt, config or summary`,
    );
  return { expr: column, params: [], nullable: false };
}
