/**
 * A first order of a large stored table found in parts, one per table read worker: each part is
 * the matching rows of a rowid range in the asked order (SQLite's sort of that range), with the
 * sort columns' values, and the parts are merged here in SQLite's order of those values — nulls
 * first, numbers, then text by code point (UTF-8 byte order) — ties in logged order (an earlier
 * range's rows first: its rowids are all smaller). Only columns of numbers, text, booleans and
 * nulls are merged (no BLOBs); a part holding an integer beyond 2^53 (which a JavaScript number
 * may not tell from its neighbour) is refused, and the order is then found whole.
 */
import type Database from "better-sqlite3";
import { compareCodePoints, type TableColumn } from "@stepwise/protocol";
import type { TablePlan } from "../../domain/tables/table-query-plan.js";
import type { SqlCondition } from "./table-filter-sql.js";

type Key = number | string | null;

/** A first scan of a table of at least this many rows is done in parts (also for groups). */
export const SPLIT_ROWS = 65_536;

/** Rowids 1…rows cut in `parts` ranges of (nearly) equal length. */
export function splitRange(rows: number, parts: number): Array<[number, number]> {
  return Array.from({ length: parts }, (_, k): [number, number] => [
    Math.floor((rows * k) / parts) + 1,
    Math.floor((rows * (k + 1)) / parts),
  ]);
}

/** One rowid range's matching rows in order and, per sort column, their values; null: refused. */
export type OrderPart = { rowids: Int32Array; keys: Key[][] } | null;

/** The column types whose stored values the merge compares as SQLite does. */
const MERGED_TYPES = new Set<TableColumn["type"]>(["number", "string", "boolean", "null"]);

export function canMerge(plan: TablePlan, columns: TableColumn[]): boolean {
  return plan.sort.every((s) => MERGED_TYPES.has((columns[s.column] as TableColumn).type));
}

/** The rows of rowids [from, to] matching `where` in the plan's order, with their sort values. */
export function orderPart(
  db: Database.Database,
  plan: TablePlan,
  where: SqlCondition,
  from: number,
  to: number,
): OrderPart {
  const by = [...plan.sort.map((s) => `c${s.column}${s.desc ? " DESC" : ""}`), "rowid"].join(", ");
  const keys = plan.sort.map((s, k) => `, c${s.column} AS k${k}`).join("");
  const arrays = plan.sort.map((_, k) => `, json_group_array(k${k})`).join("");
  const condition = where.sql === "" ? "" : ` AND ${where.sql}`;
  // An order-sensitive aggregate keeps its subquery's ORDER BY (SQLite omits it only before
  // count/min/max); the test compares the merged order with a sort done in JavaScript.
  let row: string[];
  try {
    row = db
      .prepare<unknown[], string[]>(
        `SELECT json_group_array(r)${arrays} FROM (SELECT rowid AS r${keys} FROM t NOT INDEXED WHERE rowid BETWEEN ? AND ?${condition} ORDER BY ${by})`,
      )
      .raw()
      .get(from, to, ...where.params) as string[];
  } catch (error) {
    // Values too long to send as one string: the order is found whole instead.
    if ((error as { code?: unknown }).code === "SQLITE_TOOBIG") return null;
    throw error;
  }
  const [rowids, ...values] = row.map((json) => JSON.parse(json) as Key[]);
  for (const column of values)
    for (const v of column)
      if (typeof v === "number" && Number.isInteger(v) && !Number.isSafeInteger(v)) return null;
  return { rowids: Int32Array.from(rowids as number[]), keys: values };
}

/** The parts (in rowid order of their ranges) merged into one order; null when one was refused. */
export function mergeParts(parts: OrderPart[], plan: TablePlan): Int32Array | null {
  if (parts.some((p) => p === null)) return null;
  const whole = parts as Array<NonNullable<OrderPart>>;
  if (plan.sort.length === 0) {
    const out = new Int32Array(whole.reduce((n, p) => n + p.rowids.length, 0));
    // Logged order: the ranges one after the other.
    let n = 0;
    for (const p of whole) {
      out.set(p.rowids, n);
      n += p.rowids.length;
    }
    return out;
  }
  let merged = whole[0] as NonNullable<OrderPart>;
  for (let k = 1; k < whole.length; k++)
    merged = mergeTwo(merged, whole[k] as NonNullable<OrderPart>, plan.sort, k < whole.length - 1);
  return merged.rowids;
}

/** `a`'s rows before `b`'s on ties (a's range comes first); `keys`: also merge the values. */
function mergeTwo(
  a: NonNullable<OrderPart>,
  b: NonNullable<OrderPart>,
  sort: TablePlan["sort"],
  withKeys: boolean,
): NonNullable<OrderPart> {
  const n = a.rowids.length + b.rowids.length;
  const rowids = new Int32Array(n);
  const keys: Key[][] = withKeys ? sort.map(() => new Array<Key>(n)) : [];
  const signs = sort.map((s) => (s.desc ? -1 : 1));
  const [ak, bk] = [a.keys, b.keys];
  let i = 0;
  let j = 0;
  for (let o = 0; o < n; o++) {
    let fromA = j >= b.rowids.length;
    if (!fromA && i < a.rowids.length) {
      let c = 0;
      for (let k = 0; k < signs.length && c === 0; k++)
        c = compareKeys((ak[k] as Key[])[i] as Key, (bk[k] as Key[])[j] as Key) * (signs[k] as number);
      fromA = c <= 0;
    }
    const part = fromA ? a : b;
    const at = fromA ? i++ : j++;
    rowids[o] = part.rowids[at] as number;
    if (withKeys)
      for (let k = 0; k < sort.length; k++) (keys[k] as Key[])[o] = (part.keys[k] as Key[])[at] as Key;
  }
  return { rowids, keys };
}

/** SQLite's order of stored values: NULL, numbers (±Infinity included), text by code point. */
export function compareKeys(x: Key, y: Key): number {
  if (x === y) return 0;
  if (x === null) return -1;
  if (y === null) return 1;
  if (typeof x === "number") return typeof y === "number" ? (x < y ? -1 : 1) : -1;
  if (typeof y === "number") return 1;
  return compareCodePoints(x, y);
}
