/**
 * W&B's run filters and orders (`Api().runs(path, filters=…, order=…)`: MongoDB-style queries on
 * the run's fields, W&B's names) as Stepwise's run-list filters (store RunFilter, AND-composed).
 * Pure: no store, no HTTP. What Stepwise's listing cannot express (`$or` over different fields,
 * `$regex`, `$not`…) is refused with a message naming it, never silently widened.
 *
 * Field names: `state`, `tags`, `group`, `jobType`/`job_type`, `displayName`/`display_name` (the
 * run's name), `name`/`id` (the run id), `config.<path>` (a trailing `.value`, W&B's wrapper, is
 * dropped), `summary_metrics.<path>` / `summaryMetrics.<path>` / `summary.<path>`. Orders: `[+-]`
 * then `created_at`/`createdAt`, `heartbeat_at`/`heartbeatAt`, `state`, `display_name`/`name`,
 * `config.<path>`, `summary_metrics.<path>`; default newest first.
 */
import type { RunState } from "@stepwise/protocol";
import type { RunFilter, RunListQuery } from "../store/store.js";

export class FilterError extends Error {
  override readonly name = "FilterError";
}

type Json = Record<string, unknown>;
type ValueOp = "eq" | "ne" | "lt" | "lte" | "gt" | "gte" | "in" | "exists";
const OPS: Record<string, ValueOp> = {
  $eq: "eq",
  $ne: "ne",
  $lt: "lt",
  $lte: "lte",
  $gt: "gt",
  $gte: "gte",
  $in: "in",
  $exists: "exists",
};
const STRING_FIELDS: Record<string, "group" | "jobType" | "name" | "id"> = {
  group: "group",
  jobType: "jobType",
  job_type: "jobType",
  displayName: "name",
  display_name: "name",
  name: "id",
  id: "id",
};

/** The filters a W&B `filters` object means; `{}` and null mean every run. */
export function runFiltersOf(filters: unknown): RunFilter[] {
  if (filters === null || filters === undefined) return [];
  if (!isObject(filters)) throw new FilterError("W&B run filters must be a JSON object");
  const out: RunFilter[] = [];
  for (const [key, value] of Object.entries(filters)) {
    if (key === "$and") {
      if (!Array.isArray(value)) throw new FilterError("$and takes a list of filters");
      for (const part of value) out.push(...runFiltersOf(part));
    } else if (key === "$or") out.push(orOf(value));
    else if (key.startsWith("$"))
      throw new FilterError(`the W&B filter operator ${key} is not supported here`);
    else out.push(...fieldFilters(key, value));
  }
  return out;
}

/** `$or` only where Stepwise can say it: every branch an equality on the same field → `in`. */
function orOf(value: unknown): RunFilter {
  if (!Array.isArray(value) || value.length === 0) throw new FilterError("$or takes a non-empty list");
  const parts = value.map((part) => runFiltersOf(part));
  const first = parts[0]?.[0];
  const same = parts.every(
    (p) =>
      p.length === 1 &&
      p[0] !== undefined &&
      p[0].op === "eq" &&
      p[0].field === first?.field &&
      ("path" in p[0] ? p[0].path : "") === (first !== undefined && "path" in first ? first.path : ""),
  );
  if (!same || first === undefined)
    throw new FilterError("$or is supported only as equalities on one field (e.g. several states)");
  const values = parts.map((p) => (p[0] as { value?: unknown }).value);
  return { ...first, op: "in", value: values } as RunFilter;
}

function fieldFilters(field: string, condition: unknown): RunFilter[] {
  const conditions: Array<[ValueOp, unknown]> = [];
  if (isObject(condition) && Object.keys(condition).some((k) => k.startsWith("$"))) {
    for (const [op, value] of Object.entries(condition)) {
      const mapped = OPS[op];
      if (mapped === undefined) throw new FilterError(`the W&B filter operator ${op} is not supported here`);
      conditions.push([mapped, value]);
    }
  } else conditions.push(["eq", condition]);
  return conditions.map(([op, value]) => oneFilter(field, op, value));
}

function oneFilter(field: string, op: ValueOp, value: unknown): RunFilter {
  const path = pathOf(field);
  if (path !== null) {
    if (op === "exists") {
      if (value === false) throw new FilterError(`{"$exists": false} is not supported here (on ${field})`);
      return { field: path.field, path: path.path, op: "exists" };
    }
    return { field: path.field, path: path.path, op, value };
  }
  if (field === "state") {
    if (op !== "eq" && op !== "ne" && op !== "in")
      throw new FilterError(`state takes $eq, $ne or $in, not ${op}`);
    return { field: "state", op, value: value as RunState | RunState[] };
  }
  if (field === "tags") {
    if (op === "eq" && typeof value === "string") return { field: "tags", op: "contains", value };
    if (op === "in" && Array.isArray(value) && value.length === 1 && typeof value[0] === "string")
      return { field: "tags", op: "contains", value: value[0] };
    throw new FilterError('tags filters take one tag ({"tags": "a"} or {"tags": {"$in": ["a"]}})');
  }
  const stringField = STRING_FIELDS[field];
  if (stringField !== undefined) {
    if (op !== "eq" && op !== "ne" && op !== "in")
      throw new FilterError(`${field} takes $eq, $ne or $in here, not ${op}`);
    if (op === "in" ? !isStringList(value) : typeof value !== "string")
      throw new FilterError(`${field} is compared with strings`);
    return { field: stringField, op, value: value as string | string[] };
  }
  throw new FilterError(`filtering runs on ${field} is not supported here`);
}

/** `config.a.b` → config path `a.b` (without W&B's `.value`); summary likewise. */
function pathOf(field: string): { field: "config" | "summary"; path: string } | null {
  for (const [prefix, target] of [
    ["config.", "config"],
    ["summary_metrics.", "summary"],
    ["summaryMetrics.", "summary"],
    ["summary.", "summary"],
  ] as const) {
    if (!field.startsWith(prefix)) continue;
    let path = field.slice(prefix.length);
    if (target === "config" && path.endsWith(".value")) path = path.slice(0, -".value".length);
    if (path === "") break;
    return { field: target, path };
  }
  return null;
}

/** A W&B `order` string (`-created_at`, `+summary_metrics.loss`…) as a run-list order. */
export function runOrderOf(order: string | null | undefined): RunListQuery["order"] {
  if (order === null || order === undefined || order === "") return { field: "createdAt", desc: true };
  const desc = order.startsWith("-");
  const name = order.replace(/^[+-]/, "");
  const path = pathOf(name);
  if (path !== null) return { ...path, desc };
  const simple: Record<string, "createdAt" | "heartbeatAt" | "state" | "name"> = {
    created_at: "createdAt",
    createdAt: "createdAt",
    heartbeat_at: "heartbeatAt",
    heartbeatAt: "heartbeatAt",
    state: "state",
    display_name: "name",
    displayName: "name",
  };
  const field = simple[name];
  if (field === undefined) throw new FilterError(`ordering runs by ${name} is not supported here`);
  return { field, desc };
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
const isStringList = (value: unknown): boolean =>
  Array.isArray(value) && value.every((item) => typeof item === "string");
