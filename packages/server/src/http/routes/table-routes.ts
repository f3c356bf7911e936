/**
 * Tables logged in a run's history (`table-file` values; stored by store/tables/):
 * - `GET  /runs/:entity/:project/:runId/tables`: every table key and its versions (steps);
 * - `POST /runs/:entity/:project/:runId/tables/query` (`TableQuery`): a page of rows, sorted,
 *   filtered and grouped by the server;
 * - `GET  /runs/:entity/:project/:runId/tables/export?key=&step=&format=csv|parquet&where=&sort=&columns=`:
 *   every matching row as a file.
 */
import {
  tableExportParamsSchema,
  tableQuerySchema,
  type TableListResponse,
  type TablePage,
  type TableVersion,
} from "@stepwise/protocol";
import { Hono } from "hono";
import { assertRunAccess } from "../../auth/principal.js";
import { planTableQuery } from "../../domain/tables/table-query-plan.js";
import type { RunTables } from "../../store/tables/run-tables.js";
import type { AppDeps, AppEnv } from "../app-env.js";
import { parseInput } from "../input-error.js";
import { readJsonBody } from "../json-body.js";
import { extendedJson } from "../json-response.js";
import { runRefParam } from "../path-params.js";
import { csvExport, parquetExport } from "../tables/table-export.js";
import { unknownRun } from "../unknown-run.js";

const RUN = "/runs/:entity/:project/:runId";

export function tableRoutes(deps: AppDeps, tables: RunTables): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get(`${RUN}/tables`, async (c) => {
    const ref = runRefParam(c);
    assertRunAccess(c.get("principal"), ref);
    const list = await tables.list(ref);
    if (list === null) throw unknownRun(ref);
    const response: TableListResponse = { tables: list };
    return extendedJson(response);
  });

  app.post(`${RUN}/tables/query`, async (c) => {
    const ref = runRefParam(c);
    assertRunAccess(c.get("principal"), ref);
    const query = await readJsonBody(c.req.raw, deps.config, tableQuerySchema);
    if (!(await deps.store.hasRun(ref))) throw unknownRun(ref);
    const table = await tables.open(ref, query.key, query.step);
    const { version, reader } = table;
    const plan = planTableQuery(query, reader.columns);
    const common = {
      key: query.key,
      step: version.step,
      schema: reader.columns,
      totalRows: reader.rows,
      offset: query.offset,
    };
    // Read on a table read worker: a scan of a million rows leaves this thread free.
    const page: TablePage =
      plan.groupBy === null
        ? {
            kind: "rows",
            ...common,
            columns: plan.columns.map((i) => nameOf(reader.columns, i)),
            ...(await tables.page(table, plan)),
          }
        : {
            kind: "groups",
            ...common,
            groupBy: nameOf(reader.columns, plan.groupBy),
            ...(await tables.groups(table, plan)),
          };
    return extendedJson(page);
  });

  app.get(`${RUN}/tables/export`, async (c) => {
    const ref = runRefParam(c);
    assertRunAccess(c.get("principal"), ref);
    const raw: Record<string, string | string[]> = {};
    for (const [name, values] of Object.entries(c.req.queries()))
      raw[name] =
        values.length === 1 && name !== "sort" && name !== "columns" ? (values[0] as string) : values;
    const params = parseInput(tableExportParamsSchema, raw, "query");
    if (!(await deps.store.hasRun(ref))) throw unknownRun(ref);
    const table = await tables.open(ref, params.key, params.step);
    const sort = (params.sort ?? []).map((s) => ({
      column: s.startsWith("-") ? s.slice(1) : s,
      desc: s.startsWith("-"),
    }));
    const query = { where: params.where, sort, columns: params.columns, offset: 0, limit: 1 };
    const plan = planTableQuery(withoutUndefined(query), table.reader.columns);
    const all = table.reader.columns;
    const columns = plan.columns.map((i) => all[i] as (typeof all)[number]);
    const { pages, close } = tables.scan(table, plan);
    const name = `${fileStem(params.key)}_${table.version.step}.${params.format}`;
    const headers = {
      "content-type": params.format === "csv" ? "text/csv; charset=utf-8" : "application/vnd.apache.parquet",
      "content-disposition": `attachment; filename="${name}"`,
    };
    const body =
      params.format === "csv" ? csvExport(columns, pages, close) : parquetExport(columns, pages, close);
    return new Response(body, { headers });
  });

  return app;
}

function nameOf(columns: readonly TableVersion[] | readonly { name: string }[], i: number): string {
  return (columns[i] as { name: string }).name;
}

function fileStem(key: string): string {
  return key.replace(/[^A-Za-z0-9_.-]+/g, "_").slice(0, 100) || "table";
}

function withoutUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
