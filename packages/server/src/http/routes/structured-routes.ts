/**
 * The structured values' routes (protocol structured.ts): histograms, tables, custom charts and
 * chart presets, sharing one library of stored tables under `<data dir>/tables`.
 */
import { join } from "node:path";
import { Hono } from "hono";
import { RunTables } from "../../store/tables/run-tables.js";
import { TableLibrary } from "../../store/tables/table-library.js";
import type { AppDeps, AppEnv } from "../app-env.js";
import { chartRoutes } from "./chart-routes.js";
import { histogramRoutes } from "./histogram-routes.js";
import { presetRoutes } from "./preset-routes.js";
import { tableRoutes } from "./table-routes.js";

export function structuredRoutes(deps: AppDeps): Hono<AppEnv> {
  const library = deps.tables ?? new TableLibrary(join(deps.config.dataDir, "tables"), deps.blobs);
  const tables = new RunTables(deps.store, library);
  const app = new Hono<AppEnv>();
  for (const routes of [
    histogramRoutes(deps),
    tableRoutes(deps, tables),
    chartRoutes(deps, tables),
    presetRoutes(deps),
  ])
    app.route("/", routes);
  return app;
}
