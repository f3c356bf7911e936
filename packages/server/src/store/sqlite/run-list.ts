/**
 * Run listing with filters, sort and keyset pagination, plus the entity and project rollups.
 * Default order is newest first, which the (entity, project, created_at) index serves directly;
 * JSON filters and sorts read each of the project's runs once (≈ tens of ms at 10,000 runs).
 */
import type Database from "better-sqlite3";
import type {
  EntitySummary,
  ProjectSummary,
  RunListPage,
  RunListQuery,
  RunListSelect,
  StoredRun,
} from "../store.js";
import { decodeRunListCursor, encodeRunListCursor } from "../../domain/run-list-cursor.js";
import { RUN_COLUMNS, runFromRow, type RunRow } from "./run-row.js";
import { assertFilterParamsFit, filterSql, sortSql, type SqlParam } from "./run-filter-sql.js";
import { pathTree, selectPaths } from "./select-paths.js";

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

export class RunList {
  private readonly entities: Database.Statement<
    [],
    { name: string; projects: number; runs: number; last: number | null }
  >;
  private readonly projects: Database.Statement<
    [string],
    { name: string; runs: number; last: number | null }
  >;

  constructor(private readonly db: Database.Database) {
    this.entities = db.prepare(
      `SELECT entity AS name, COUNT(DISTINCT project) AS projects, COUNT(*) AS runs, MAX(heartbeat_at) AS last
       FROM runs GROUP BY entity ORDER BY entity`,
    );
    this.projects = db.prepare(
      `SELECT project AS name, COUNT(*) AS runs, MAX(heartbeat_at) AS last
       FROM runs WHERE entity = ? GROUP BY project ORDER BY project`,
    );
  }

  listEntities(): EntitySummary[] {
    return this.entities
      .all()
      .map((r) => ({ name: r.name, projects: r.projects, runs: r.runs, lastActivity: r.last }));
  }

  listProjects(entity: string): ProjectSummary[] {
    return this.projects
      .all(entity)
      .map((r) => ({ entity, name: r.name, runs: r.runs, lastActivity: r.last }));
  }

  list(query: RunListQuery): RunListPage {
    const asked =
      query.limit !== undefined && Number.isFinite(query.limit) ? Math.floor(query.limit) : DEFAULT_LIMIT;
    const limit = Math.min(Math.max(asked, 1), MAX_LIMIT);
    const where = ["entity = ?", "project = ?"];
    const whereParams: SqlParam[] = [query.entity, query.project];
    for (const filter of query.filters ?? []) where.push(filterSql(filter, whereParams));
    assertFilterParamsFit(whereParams);

    const total = (
      this.db.prepare(`SELECT COUNT(*) AS n FROM runs WHERE ${where.join(" AND ")}`).get(...whereParams) as {
        n: number;
      }
    ).n;

    const order = query.order ?? { field: "createdAt", desc: true };
    const sort = sortSql(order);
    const cmp = order.desc ? "<" : ">";
    const dir = order.desc ? "DESC" : "ASC";
    const pageWhere = [...where];
    const pageParams = [...whereParams];
    const cursor = query.cursor === undefined ? null : decodeRunListCursor(query.cursor);
    let orderBy: string;
    let orderParams: SqlParam[];
    if (!sort.nullable) {
      // A plain column: (value, pk) order, which (entity, project, created_at) serves for createdAt.
      if (cursor) {
        pageWhere.push(`(${sort.expr}, pk) ${cmp} (?, ?)`);
        pageParams.push(cursor.value, cursor.pk);
      }
      orderBy = `${sort.expr} ${dir}, pk ${dir}`;
      orderParams = [];
    } else {
      if (cursor?.missing) {
        pageWhere.push(`(${sort.expr} IS NULL AND pk ${cmp} ?)`);
        pageParams.push(...sort.params, cursor.pk);
      } else if (cursor) {
        pageWhere.push(
          `(${sort.expr} IS NULL OR ${sort.expr} ${cmp} ? OR (${sort.expr} = ? AND pk ${cmp} ?))`,
        );
        pageParams.push(
          ...sort.params,
          ...sort.params,
          cursor.value,
          ...sort.params,
          cursor.value,
          cursor.pk,
        );
      }
      orderBy = `(${sort.expr} IS NULL), ${sort.expr} ${dir}, pk ${dir}`;
      orderParams = [...sort.params, ...sort.params];
    }
    const rows = this.db
      .prepare(
        `SELECT ${RUN_COLUMNS}, ${sort.expr} AS sort_value FROM runs WHERE ${pageWhere.join(" AND ")}
         ORDER BY ${orderBy} LIMIT ?`,
      )
      .all(...sort.params, ...pageParams, ...orderParams, limit + 1) as Array<
      RunRow & { sort_value: string | number | null }
    >;
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const last = page[page.length - 1];
    return {
      runs: query.select === undefined ? page.map(runFromRow) : page.map(selector(query.select)),
      total,
      nextCursor:
        more && last
          ? encodeRunListCursor({ missing: last.sort_value === null, value: last.sort_value, pk: last.pk })
          : null,
    };
  }
}

/** A row as a run that holds only the selected config and summary paths (its text never parsed whole). */
function selector(select: RunListSelect): (row: RunRow) => StoredRun {
  const config = pathTree(select.config);
  const summary = pathTree(select.summary);
  return (row) => ({
    ...runFromRow({ ...row, config: "{}", summary: "{}" }),
    config: selectPaths(row.config, config),
    summary: selectPaths(row.summary, summary),
  });
}
