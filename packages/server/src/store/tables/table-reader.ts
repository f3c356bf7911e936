/**
 * Queries one stored table (table-builder.ts) without loading it: a page of rows in the asked
 * order, groups with counts and per-number-column min/max/mean, and every row in order for
 * export. Plans, measured on 1M rows (docs/server.md § Tables):
 * - no filter, no sort: rowids are the row indexes, the page is read by rowid;
 * - no filter, one indexed column: the index is walked (`LIMIT/OFFSET`), no sort; descending,
 *   walked backwards and each run of ties put back in logged order (table-descending.ts);
 * - anything else: the matching rowids in order, found once by a scan (`NOT INDEXED`: a filter
 *   beside an index made SQLite walk the index with a lookup per row, 4–8× slower) and kept
 *   (a few such orders per table, 4 bytes a row), so that every further page and the count of
 *   matching rows cost nothing more;
 * - groups: every group of the column found by one scan (table-groups.ts) and kept likewise
 *   (counts summed give the matching rows);
 * - on a machine with a core to spare, that first scan of a large table is done in two parts,
 *   one per table read worker (table-read-pool.ts): each half of the rowids sorted and the halves
 *   merged (table-order-parts.ts), or each half's group sums added up (table-groups.ts).
 */
import { statSync } from "node:fs";
import type Database from "better-sqlite3";
import type { TableColumn, TablePage } from "@stepwise/protocol";
import type { PlannedFilter, TablePlan } from "../../domain/tables/table-query-plan.js";
import { decodeCell, NAN_CELLS_TABLE } from "./table-cells.js";
import { filterSql, type SqlCondition } from "./table-filter-sql.js";
import { descendingPage } from "./table-descending.js";
import {
  canMerge,
  mergeParts,
  orderPart,
  SPLIT_ROWS,
  splitRange,
  type OrderPart,
} from "./table-order-parts.js";
import { TableGroups, type GroupPart, type Grouping } from "./table-groups.js";

type RowsPage = Extract<TablePage, { kind: "rows" }>;
type GroupsPage = Extract<TablePage, { kind: "groups" }>;
type Bind = SqlCondition["params"][number];

const KEPT_ORDERS = 4;
/** An order is found in parts only in a table file of at most this size (its values are sent). */
const SPLIT_MAX_BYTES = 256 * 1024 * 1024;
/** Grouped results are kept (for the next page) when there are at most this many groups. */
const KEPT_GROUPS = 100_000;

export class TableReader {
  private readonly byRowid: Database.Statement<[number], unknown[]>;
  /** The columns of a row that held NaN; null when the table has none (nothing to look up). */
  private readonly nanColumns: Database.Statement<[number], number> | null;
  private readonly indexed: Set<number>;
  /** Orders found by a scan, most recently used last. */
  private readonly orders = new Map<string, Int32Array>();
  private readonly groupings = new Map<string, Grouping>();
  private readonly grouper: TableGroups;

  constructor(
    private readonly db: Database.Database,
    readonly columns: TableColumn[],
    readonly rows: number,
  ) {
    const list = columns.map((_, i) => `c${i}`).join(", ");
    this.byRowid = db.prepare<[number], unknown[]>(`SELECT ${list} FROM t WHERE rowid = ?`).raw();
    const indexes = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 't'")
      .pluck()
      .all();
    this.indexed = new Set(indexes.map((name) => Number(String(name).slice(1))));
    const anyNaN = db.prepare(`SELECT EXISTS (SELECT 1 FROM ${NAN_CELLS_TABLE})`).pluck().get() === 1;
    this.nanColumns = anyNaN
      ? db.prepare<[number], number>(`SELECT c FROM ${NAN_CELLS_TABLE} WHERE r = ?`).pluck()
      : null;
    this.grouper = new TableGroups(db, columns, rows, this.indexed);
  }

  /** Whether a stored table has the sidecar of NaN cells (tables stored before it must be stored again). */
  static isCurrent(db: Database.Database): boolean {
    return (
      db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(NAN_CELLS_TABLE) !==
      undefined
    );
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** A page; `parts`: the first order found in parts (`orderSplits`), to merge and keep. */
  page(plan: TablePlan, parts?: OrderPart[]): Pick<RowsPage, "matchedRows" | "rows"> {
    if (parts !== undefined && !this.orders.has(this.orderId(plan))) {
      const merged = mergeParts(parts, plan);
      if (merged !== null) this.keep(this.orderId(plan), merged);
    }
    const { rowids, matched } = this.pageRowids(plan);
    const rows = rowids.map((rowid) => ({ index: rowid - 1, cells: this.cells(rowid, plan.columns) }));
    return { matchedRows: matched, rows };
  }

  /**
   * One scan finds every group (sorted by value), and with it the group count and the matching
   * rows (the sum of the counts); kept for the next page when there are at most KEPT_GROUPS.
   */
  groups(plan: TablePlan, parts?: GroupPart[]): Pick<GroupsPage, "matchedRows" | "groupCount" | "groups"> {
    const g = plan.groupBy as number;
    const filter = plan.filter === null ? null : filterSql(plan.filter);
    const first = plan.sort[0];
    const desc = first !== undefined && first.column === g && first.desc;
    const id = groupingId(g, filter);
    let all = this.groupings.get(id);
    if (all === undefined) {
      all = parts === undefined ? this.grouper.find(g, filter) : this.grouper.join(g, parts);
      if (all.groups.length <= KEPT_GROUPS) {
        this.groupings.set(id, all);
        if (this.groupings.size > KEPT_ORDERS)
          this.groupings.delete(this.groupings.keys().next().value as string);
      }
    }
    const n = all.groups.length;
    const from = desc ? Math.max(0, n - plan.offset - plan.limit) : plan.offset;
    const to = desc ? Math.max(0, n - plan.offset) : plan.offset + plan.limit;
    const groups = all.groups.slice(from, to);
    if (desc) groups.reverse();
    return { matchedRows: all.matched, groupCount: n, groups };
  }

  /**
   * The rowid ranges in which to read the groups of `plan` as `parts` parts (on as many read
   * workers; `groupPart`), then joined by `groups(plan, parts)`; null when they are kept or are
   * read whole here (table-groups.ts).
   */
  groupSplits(plan: TablePlan, parts: number): Array<[number, number]> | null {
    const g = plan.groupBy as number;
    const filter = plan.filter === null ? null : filterSql(plan.filter);
    return this.groupings.has(groupingId(g, filter)) ? null : this.grouper.splits(g, parts);
  }

  /**
   * The rowid ranges in which to find the first order of a page of `plan` as `parts` parts (on
   * as many read workers; `orderPart`), then merged by `page(plan, parts)`; null when the page
   * needs no order, the order is kept, or it is found whole here (table-order-parts.ts).
   */
  orderSplits(plan: TablePlan, parts: number): Array<[number, number]> | null {
    const only = plan.sort[0];
    const indexedOnly =
      plan.filter === null && plan.sort.length === 1 && only !== undefined && this.indexed.has(only.column);
    if (parts < 2 || this.rows < SPLIT_ROWS || indexedOnly || !canMerge(plan, this.columns)) return null;
    // The parts send their sort values as JSON: bounded by the file's size.
    if (statSync(this.db.name).size > SPLIT_MAX_BYTES) return null;
    if ((plan.filter === null && plan.sort.length === 0) || this.orders.has(this.orderId(plan))) return null;
    return splitRange(this.rows, parts);
  }

  /** The matching rows among rowids [from, to] in the plan's order, with their sort values. */
  orderPart(plan: TablePlan, from: number, to: number): OrderPart {
    const condition = plan.filter === null ? { sql: "", params: [] } : filterSql(plan.filter);
    return orderPart(this.db, plan, condition, from, to);
  }

  /** The sums of the groups of `plan` among rowids [from, to]. */
  groupPart(plan: TablePlan, from: number, to: number): GroupPart {
    return this.grouper.part(
      plan.groupBy as number,
      plan.filter === null ? null : filterSql(plan.filter),
      from,
      to,
    );
  }

  /** Every matching row in order, as cells of `plan.columns`, in pages (for export). */
  *scan(plan: TablePlan, pageRows = 10_000): Generator<unknown[][]> {
    const order = plan.filter === null && plan.sort.length === 0 ? null : this.order(plan);
    const total = order === null ? this.rows : order.length;
    for (let from = 0; from < total; from += pageRows) {
      const page: unknown[][] = [];
      for (let k = from; k < Math.min(total, from + pageRows); k++) {
        page.push(this.cells(order === null ? k + 1 : (order[k] as number), plan.columns));
      }
      yield page;
    }
  }

  /** The cells of `columns` in row `rowid`, NaNs given back from the sidecar. */
  private cells(rowid: number, columns: readonly number[]): unknown[] {
    const stored = this.byRowid.get(rowid) ?? [];
    const nan = this.nanColumns?.all(rowid) ?? [];
    return columns.map((c) =>
      stored[c] === null && nan.includes(c) ? NaN : decodeCell(stored[c], this.type(c)),
    );
  }

  private pageRowids(plan: TablePlan): { rowids: number[]; matched: number } {
    const { offset, limit, sort } = plan;
    if (plan.filter === null && sort.length === 0) {
      const end = Math.min(this.rows, offset + limit);
      return { rowids: range(offset + 1, end + 1), matched: this.rows };
    }
    const only = sort[0];
    if (plan.filter === null && sort.length === 1 && only !== undefined && this.indexed.has(only.column)) {
      // Ascending, the index is in the order asked; descending, it is walked backwards.
      const rowids = only.desc
        ? descendingPage(this.db, only.column, offset, limit)
        : this.db
            .prepare<[number, number], number>(
              `SELECT rowid FROM t INDEXED BY i${only.column} ORDER BY c${only.column}, rowid LIMIT ? OFFSET ?`,
            )
            .pluck()
            .all(limit, offset);
      if (rowids !== null) return { rowids, matched: this.rows };
    }
    const order = this.order(plan);
    return { rowids: Array.from(order.subarray(offset, offset + limit)), matched: order.length };
  }

  /** The matching rowids in the plan's order (then logged order), found once and kept. */
  private order(plan: TablePlan): Int32Array {
    const where = this.where(plan.filter);
    const by = orderBy(plan);
    const id = this.orderId(plan);
    const kept = this.orders.get(id);
    if (kept !== undefined) {
      this.orders.delete(id);
      this.orders.set(id, kept);
      return kept;
    }
    const hint = where.sql === "" ? "" : " NOT INDEXED";
    const statement = this.db
      .prepare<Bind[], number>(`SELECT rowid FROM t${hint}${where.sql} ORDER BY ${by}`)
      .pluck();
    // all(): one call (an iterator's step per row cost ~15% of the scan).
    return this.keep(id, Int32Array.from(statement.all(...where.params)));
  }

  private orderId(plan: TablePlan): string {
    const where = this.where(plan.filter);
    return `${where.sql} ${JSON.stringify(where.params)} ORDER BY ${orderBy(plan)}`;
  }

  private keep(id: string, order: Int32Array): Int32Array {
    this.orders.set(id, order);
    if (this.orders.size > KEPT_ORDERS) this.orders.delete(this.orders.keys().next().value as string);
    return order;
  }

  private where(filter: PlannedFilter | null): SqlCondition {
    if (filter === null) return { sql: "", params: [] };
    const condition = filterSql(filter);
    return { sql: ` WHERE ${condition.sql}`, params: condition.params };
  }

  private type(column: number): TableColumn["type"] {
    return (this.columns[column] as TableColumn).type;
  }
}

function orderBy(plan: TablePlan): string {
  return [...plan.sort.map((s) => `c${s.column}${s.desc ? " DESC" : ""}`), "rowid"].join(", ");
}

function groupingId(g: number, filter: SqlCondition | null): string {
  return `${g} ${filter?.sql} ${JSON.stringify(filter?.params)}`;
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) out.push(i);
  return out;
}
