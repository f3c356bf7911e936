/**
 * Sorting the runs table. A sort spec is the column id with an optional `-` for descending
 * (`-createdAt`, `name`, `-summary.val/acc`), as kept in the URL. The server is asked for the
 * same order where it has one (so the first page is the right one); the loaded runs are then
 * sorted here, so that re-sorting 10,000 runs needs no round trip. Missing values sort last in
 * both directions, numbers before text, as the server orders them.
 */
import type { RunDto, RunOrder } from "@stepwise/protocol";
import { readDottedValue, splitValueColumn } from "./dotted-value.js";
import { runDuration } from "./time-format.js";

export interface SortSpec {
  column: string;
  desc: boolean;
}

const SERVER_COLUMNS = new Set(["createdAt", "name", "state", "heartbeatAt"]);

export function parseSortSpec(spec: string): SortSpec {
  return spec.startsWith("-") ? { column: spec.slice(1), desc: true } : { column: spec, desc: false };
}

export function formatSortSpec(sort: SortSpec): string {
  return `${sort.desc ? "-" : ""}${sort.column}`;
}

/** The server's order for a spec; undefined (its default) for columns only the UI sorts on. */
export function sortSpecToOrder(spec: string): RunOrder | undefined {
  const { column, desc } = parseSortSpec(spec);
  const value = splitValueColumn(column);
  if (value !== null) return { field: value.source, path: value.path, desc };
  if (column === "createdAt" || column === "name" || column === "state" || column === "heartbeatAt") {
    return { field: column, desc };
  }
  return undefined;
}

/** Whether the server can order by this spec. */
export function serverSortable(spec: string): boolean {
  const { column } = parseSortSpec(spec);
  return SERVER_COLUMNS.has(column) || splitValueColumn(column) !== null;
}

/** A header click: the sorted column flips direction; another column sorts ascending. */
export function toggleSort(current: string, column: string): string {
  const sort = parseSortSpec(current);
  return formatSortSpec(sort.column === column ? { column, desc: !sort.desc } : { column, desc: false });
}

/** The runs in the spec's order (a new array). Ties: newest first, then by id. */
export function sortRuns(runs: readonly RunDto[], spec: string): RunDto[] {
  const { column, desc } = parseSortSpec(spec);
  const key = sortKey(column);
  const keyed = runs.map((run) => ({ run, key: normalise(key(run)) }));
  const sign = desc ? -1 : 1;
  keyed.sort((a, b) => {
    const byKey = compareKeys(a.key, b.key, sign);
    if (byKey !== 0) return byKey;
    if (a.run.createdAt !== b.run.createdAt) return b.run.createdAt - a.run.createdAt;
    return a.run.id < b.run.id ? -1 : a.run.id > b.run.id ? 1 : 0;
  });
  return keyed.map((entry) => entry.run);
}

type Key = number | string | null;

function sortKey(column: string): (run: RunDto) => unknown {
  const value = splitValueColumn(column);
  if (value !== null) return (run) => readDottedValue(run[value.source], value.path);
  switch (column) {
    case "createdAt":
      return (run) => run.createdAt;
    case "heartbeatAt":
      return (run) => run.heartbeatAt;
    case "runtime":
      return (run) => runDuration(run);
    case "tags":
      return (run) => (run.tags.length === 0 ? null : run.tags.join(", "));
    case "name":
    case "state":
    case "group":
    case "jobType":
      return (run) => (run[column] === "" ? null : run[column]);
    default:
      return () => null;
  }
}

/** Numbers (booleans as 0/1, like SQLite) or text (objects as JSON); null for missing and NaN. */
function normalise(value: unknown): Key {
  if (typeof value === "number") return Number.isNaN(value) ? null : value;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return null;
  return JSON.stringify(value);
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

function compareKeys(a: Key, b: Key, sign: number): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (typeof a === "number" && typeof b === "number") return a === b ? 0 : a < b ? -sign : sign;
  if (typeof a === "number") return -sign;
  if (typeof b === "number") return sign;
  return sign * collator.compare(a, b);
}
