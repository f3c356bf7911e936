/**
 * Queries one stored table (table-builder.ts) without loading it: a page of rows in the asked
 * order, groups with counts and per-number-column min/max/mean, and every row in order for
 * export. Plans, measured on 1M rows (docs/server.md § Tables):
 * - no filter, no sort: rowids are the row indexes, the page is read by rowid;
 * - no filter, one indexed column: the index is walked (`LIMIT/OFFSET`), no sort;
 * - anything else: the matching rowids in order, found once by a scan (`NOT INDEXED`: a filter
 *   beside an index made SQLite walk the index with a lookup per row, 4–8× slower) and kept
 *   (a few such orders per table, 4 bytes a row), so that every further page and the count of
 *   matching rows cost nothing more.
 */
import type Database from "better-sqlite3";
import type { TableColumn, TablePage } from "@stepwise/protocol";
import type { PlannedFilter, TablePlan } from "../../domain/tables/table-query-plan.js";
import { decodeCell } from "./table-cells.js";
import { filterSql, type SqlCondition } from "./table-filter-sql.js";

type RowsPage = Extract<TablePage, { kind: "rows" }>;
type GroupsPage = Extract<TablePage, { kind: "groups" }>;
type Bind = SqlCondition["params"][number];

const KEPT_ORDERS = 4;

export class TableReader {
  private readonly byRowid: Database.Statement<[number], unknown[]>;
  private readonly indexed: Set<number>;
  /** Orders found by a scan, most recently used last. */
  private readonly orders = new Map<string, Int32Array>();
  private readonly counts = new Map<string, number>();

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
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  page(plan: TablePlan): Pick<RowsPage, "matchedRows" | "rows"> {
    const { rowids, matched } = this.pageRowids(plan);
    const rows = rowids.map((rowid) => {
      const stored = this.byRowid.get(rowid) ?? [];
      return { index: rowid - 1, cells: plan.columns.map((c) => decodeCell(stored[c], this.type(c))) };
    });
    return { matchedRows: matched, rows };
  }

  groups(plan: TablePlan): Pick<GroupsPage, "matchedRows" | "groupCount" | "groups"> {
    const g = plan.groupBy as number;
    const where = this.where(plan.filter);
    const numbers = this.columns.flatMap((c, i) => (c.type === "number" && i !== g ? [i] : []));
    const aggregates = numbers.map((i) => `min(c${i}), max(c${i}), avg(c${i})`);
    const first = plan.sort[0];
    const desc = first !== undefined && first.column === g && first.desc ? " DESC" : "";
    const hint = where.sql === "" ? "" : " NOT INDEXED";
    const sql = `SELECT c${g}, count(*)${aggregates.map((a) => `, ${a}`).join("")} FROM t${hint}${where.sql}
      GROUP BY c${g} ORDER BY c${g}${desc} LIMIT ? OFFSET ?`;
    const rows = this.db
      .prepare<Bind[], unknown[]>(sql)
      .raw()
      .all(...where.params, plan.limit, plan.offset);
    const groups = rows.map((row) => {
      const stats: GroupsPage["groups"][number]["stats"] = {};
      numbers.forEach((i, k) => {
        stats[(this.columns[i] as TableColumn).name] = {
          min: finiteOrNull(row[2 + 3 * k]),
          max: finiteOrNull(row[3 + 3 * k]),
          mean: finiteOrNull(row[4 + 3 * k]),
        };
      });
      return { value: decodeCell(row[0], this.type(g)), count: Number(row[1]), stats };
    });
    const groupCount = this.cached(`groups ${g} ${where.sql} ${JSON.stringify(where.params)}`, () =>
      Number(
        this.db
          .prepare<Bind[], number>(`SELECT count(*) FROM (SELECT 1 FROM t${hint}${where.sql} GROUP BY c${g})`)
          .pluck()
          .get(...where.params),
      ),
    );
    return { matchedRows: this.matched(where), groupCount, groups };
  }

  /** Every matching row in order, as cells of `plan.columns`, in pages (for export). */
  *scan(plan: TablePlan, pageRows = 10_000): Generator<unknown[][]> {
    const order = plan.filter === null && plan.sort.length === 0 ? null : this.order(plan);
    const total = order === null ? this.rows : order.length;
    for (let from = 0; from < total; from += pageRows) {
      const page: unknown[][] = [];
      for (let k = from; k < Math.min(total, from + pageRows); k++) {
        const stored = this.byRowid.get(order === null ? k + 1 : (order[k] as number)) ?? [];
        page.push(plan.columns.map((c) => decodeCell(stored[c], this.type(c))));
      }
      yield page;
    }
  }

  private pageRowids(plan: TablePlan): { rowids: number[]; matched: number } {
    const { offset, limit, sort } = plan;
    if (plan.filter === null && sort.length === 0) {
      const end = Math.min(this.rows, offset + limit);
      return { rowids: range(offset + 1, end + 1), matched: this.rows };
    }
    const only = sort[0];
    if (
      plan.filter === null &&
      sort.length === 1 &&
      only !== undefined &&
      !only.desc &&
      this.indexed.has(only.column)
    ) {
      const rowids = this.db
        .prepare<[number, number], number>(
          `SELECT rowid FROM t ORDER BY c${only.column}, rowid LIMIT ? OFFSET ?`,
        )
        .pluck()
        .all(limit, offset);
      return { rowids, matched: this.rows };
    }
    const order = this.order(plan);
    return { rowids: Array.from(order.subarray(offset, offset + limit)), matched: order.length };
  }

  /** The matching rowids in the plan's order (then logged order), found once and kept. */
  private order(plan: TablePlan): Int32Array {
    const where = this.where(plan.filter);
    const by = [...plan.sort.map((s) => `c${s.column}${s.desc ? " DESC" : ""}`), "rowid"].join(", ");
    const id = `${where.sql} ${JSON.stringify(where.params)} ORDER BY ${by}`;
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
    let out = new Int32Array(Math.min(this.rows, 1024));
    let n = 0;
    for (const rowid of statement.iterate(...where.params)) {
      if (n === out.length) {
        const grown = new Int32Array(Math.min(this.rows, out.length * 2));
        grown.set(out);
        out = grown;
      }
      out[n++] = rowid;
    }
    const order = out.subarray(0, n);
    this.orders.set(id, order);
    if (this.orders.size > KEPT_ORDERS) this.orders.delete(this.orders.keys().next().value as string);
    this.counts.set(`${where.sql} ${JSON.stringify(where.params)}`, n);
    return order;
  }

  private matched(where: SqlCondition): number {
    if (where.sql === "") return this.rows;
    return this.cached(`${where.sql} ${JSON.stringify(where.params)}`, () =>
      Number(
        this.db
          .prepare<Bind[], number>(`SELECT count(*) FROM t NOT INDEXED${where.sql}`)
          .pluck()
          .get(...where.params),
      ),
    );
  }

  private cached(id: string, count: () => number): number {
    const kept = this.counts.get(id);
    if (kept !== undefined) return kept;
    const n = count();
    if (this.counts.size > 64) this.counts.clear();
    this.counts.set(id, n);
    return n;
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

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) out.push(i);
  return out;
}

function finiteOrNull(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}
