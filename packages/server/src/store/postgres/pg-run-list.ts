/**
 * Run listing on PostgreSQL: filters on the run's columns (state, tags, group, job type, name,
 * id), sort by createdAt, name, state or heartbeatAt with keyset pagination (the shared cursor,
 * domain/run-list-cursor.ts), `select` of config and summary paths (the shared reader,
 * store/sqlite/select-paths.ts), plus the entity and project rollups. Filters and sorts on
 * config/summary paths are not built yet on PostgreSQL: they are refused with a message.
 */
import type pg from "pg";
import { InvalidDataError } from "@stepwise/protocol";
import type {
  EntitySummary,
  ProjectSummary,
  RunFilter,
  RunListPage,
  RunListQuery,
  StoredRun,
} from "../store.js";
import { decodeRunListCursor, encodeRunListCursor } from "../../domain/run-list-cursor.js";
import { pathTree, selectPaths } from "../sqlite/select-paths.js";
import { RUN_COLUMNS, runFromRow, type RunRow } from "./pg-run-table.js";

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
const COLUMN = {
  state: "state",
  group: "group_name",
  jobType: "job_type",
  name: "name",
  id: "run_id",
} as const;
const SORT = { createdAt: "created_at", name: "name", state: "state", heartbeatAt: "heartbeat_at" } as const;

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
    const counted = await this.pool.query<{ n: number }>(
      `SELECT COUNT(*)::bigint AS n FROM runs WHERE ${where.join(" AND ")}`,
      params,
    );
    const order = query.order ?? { field: "createdAt", desc: true };
    if (order.field === "config" || order.field === "summary")
      throw notBuilt(`sorting runs by ${order.field} paths`);
    const column = `${SORT[order.field]}${order.field === "createdAt" || order.field === "heartbeatAt" ? "" : ' COLLATE "C"'}`;
    const dir = order.desc ? "DESC" : "ASC";
    const cursor = query.cursor === undefined ? null : decodeRunListCursor(query.cursor);
    if (cursor) {
      params.push(cursor.value, cursor.pk);
      where.push(`(${column}, pk) ${order.desc ? "<" : ">"} ($${params.length - 1}, $${params.length})`);
    }
    params.push(limit + 1);
    const { rows } = await this.pool.query<RunRow & { sort_value: string | number }>(
      `SELECT ${RUN_COLUMNS}, ${SORT[order.field]} AS sort_value FROM runs WHERE ${where.join(" AND ")}
       ORDER BY ${column} ${dir}, pk ${dir} LIMIT $${params.length}`,
      params,
    );
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const last = page[page.length - 1];
    return {
      runs: query.select === undefined ? page.map(runFromRow) : page.map(selector(query.select)),
      total: counted.rows[0]?.n ?? 0,
      nextCursor:
        more && last ? encodeRunListCursor({ missing: false, value: last.sort_value, pk: last.pk }) : null,
    };
  }
}

function filterSql(filter: RunFilter, params: unknown[]): string {
  if (filter.field === "config" || filter.field === "summary")
    throw notBuilt(`filtering runs on ${filter.field} paths`);
  if (filter.field === "tags") {
    params.push(filter.value);
    return `tags::jsonb ? $${params.length}`;
  }
  const column = COLUMN[filter.field];
  if (filter.op === "in") {
    params.push(Array.isArray(filter.value) ? filter.value : [filter.value]);
    return `${column} = ANY($${params.length}::text[])`;
  }
  if (typeof filter.value !== "string")
    throw new InvalidDataError(`filter on ${filter.field}: op "${filter.op}" takes one string value`);
  params.push(filter.value);
  const p = `$${params.length}`;
  switch (filter.op) {
    case "eq":
      return `${column} = ${p}`;
    case "ne":
      return `${column} <> ${p}`;
    case "contains":
      // Case-folded as on SQLite: ASCII letters only (lower() under the C collation).
      return `strpos(lower(${column} COLLATE "C"), lower(${p} COLLATE "C")) > 0`;
    default:
      throw new InvalidDataError(
        `filter on ${filter.field}: unknown op "${String(filter.op)}"; use eq, ne, in or contains`,
      );
  }
}

function notBuilt(what: string): InvalidDataError {
  return new InvalidDataError(
    `${what} is not built yet on the PostgreSQL store; use the SQLite store for it`,
  );
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
