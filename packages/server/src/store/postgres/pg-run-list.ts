/**
 * Run listing on PostgreSQL: filters and sorts (pg-run-filter.ts: run columns and config/summary
 * paths) with keyset pagination (the shared cursor, domain/run-list-cursor.ts), `select` of
 * config and summary paths (the shared reader, store/sqlite/select-paths.ts), plus the entity
 * and project rollups.
 */
import type pg from "pg";
import type { EntitySummary, ProjectSummary, RunListPage, RunListQuery, StoredRun } from "../store.js";
import { decodeRunListCursor, encodeRunListCursor } from "../../domain/run-list-cursor.js";
import { pathTree, selectPaths } from "../sqlite/select-paths.js";
import { filterSql, sortSql } from "./pg-run-filter.js";
import { RUN_COLUMNS, runFromRow, type RunRow } from "./pg-run-table.js";

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

export class PgRunList {
  constructor(private readonly pool: pg.Pool) {}

  async listEntities(): Promise<EntitySummary[]> {
    const { rows } = await this.pool.query<{
      name: string;
      projects: number;
      runs: number;
      last: number | null;
    }>(
      `SELECT entity AS name, COUNT(DISTINCT project)::bigint AS projects, COUNT(*)::bigint AS runs,
         MAX(heartbeat_at) AS last FROM runs GROUP BY entity ORDER BY entity COLLATE "C"`,
    );
    return rows.map((r) => ({ name: r.name, projects: r.projects, runs: r.runs, lastActivity: r.last }));
  }

  async listProjects(entity: string): Promise<ProjectSummary[]> {
    const { rows } = await this.pool.query<{ name: string; runs: number; last: number | null }>(
      `SELECT project AS name, COUNT(*)::bigint AS runs, MAX(heartbeat_at) AS last
       FROM runs WHERE entity = $1 GROUP BY project ORDER BY project COLLATE "C"`,
      [entity],
    );
    return rows.map((r) => ({ entity, name: r.name, runs: r.runs, lastActivity: r.last }));
  }

  async list(query: RunListQuery): Promise<RunListPage> {
    const asked =
      query.limit !== undefined && Number.isFinite(query.limit) ? Math.floor(query.limit) : DEFAULT_LIMIT;
    const limit = Math.min(Math.max(asked, 1), MAX_LIMIT);
    const params: unknown[] = [query.entity, query.project];
    const where = ["entity = $1", "project = $2"];
    for (const filter of query.filters ?? []) where.push(filterSql(filter, params));
    const countParams = [...params];
    const countSql = `SELECT COUNT(*)::bigint AS n FROM runs WHERE ${where.join(" AND ")}`;
    const order = query.order ?? { field: "createdAt", desc: true };
    const sort = sortSql(order, params);
    if (query.cursor !== undefined) where.push(sort.after(decodeRunListCursor(query.cursor)));
    params.push(limit + 1);
    // A first page sorted by a config or summary path sorts every matching run anyway: it counts
    // them in the same scan (a window count). Otherwise the count runs beside the page on a second
    // connection (an ORDER BY on a column stops after the page; 10,000 runs: count ~10 ms, page <1).
    const together = query.cursor === undefined && (order.field === "config" || order.field === "summary");
    const pageSql = `SELECT ${RUN_COLUMNS}, ${sort.value} AS sort_value${together ? ", COUNT(*) OVER () AS total" : ""}
       FROM runs WHERE ${where.join(" AND ")} ORDER BY ${sort.orderBy} LIMIT $${params.length}`;
    type PageRow = RunRow & { sort_value: string | number | null; total?: number };
    const [{ rows }, counted] = await Promise.all([
      this.pool.query<PageRow>(pageSql, params),
      together ? null : this.pool.query<{ n: number }>(countSql, countParams),
    ]);
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const last = page[page.length - 1];
    return {
      runs: query.select === undefined ? page.map(runFromRow) : page.map(selector(query.select)),
      total: (counted === null ? rows[0]?.total : counted.rows[0]?.n) ?? 0,
      nextCursor:
        more && last
          ? encodeRunListCursor({ missing: last.sort_value === null, value: last.sort_value, pk: last.pk })
          : null,
    };
  }
}

function selector(select: NonNullable<RunListQuery["select"]>): (row: RunRow) => StoredRun {
  const config = pathTree(select.config);
  const summary = pathTree(select.summary);
  return (row) => ({
    ...runFromRow({ ...row, config: "{}", summary: "{}" }),
    config: selectPaths(row.config, config),
    summary: selectPaths(row.summary, summary),
  });
}
