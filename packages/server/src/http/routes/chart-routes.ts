/**
 * `GET /runs/:entity/:project/:runId/charts`: the run's custom charts (`plot.*`, `plotTable`:
 * W&B's `_wandb.visualize` config entries) resolved: preset, bindings, the table key they draw
 * and the rendered Vega-Lite spec — or, when the preset is unknown or a bound column is missing
 * from the table, no spec and the problem, so one bad chart never hides the others.
 */
import { StepwiseError, type CustomChart, type RunChartsResponse, type RunRef } from "@stepwise/protocol";
import { Hono } from "hono";
import { assertRunAccess } from "../../auth/principal.js";
import { readCustomCharts, type ChartEntry } from "../../domain/presets/custom-charts.js";
import { renderPreset } from "../../domain/presets/render-preset.js";
import type { RunTables } from "../../store/tables/run-tables.js";
import type { AppDeps, AppEnv } from "../app-env.js";
import { extendedJson } from "../json-response.js";
import { runRefParam } from "../path-params.js";
import { unknownRun } from "../unknown-run.js";
import { findPreset } from "./preset-routes.js";

export function chartRoutes(deps: AppDeps, tables: RunTables): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/runs/:entity/:project/:runId/charts", async (c) => {
    const ref = runRefParam(c);
    assertRunAccess(c.get("principal"), ref);
    const run = await deps.store.getRun(ref);
    if (run === null) throw unknownRun(ref);
    const charts: CustomChart[] = [];
    for (const entry of readCustomCharts(run.config)) charts.push(await resolve(entry, ref));
    const response: RunChartsResponse = { charts };
    return extendedJson(response);
  });

  async function resolve(entry: ChartEntry, ref: RunRef): Promise<CustomChart> {
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(entry.fields)) if (v !== null) fields[k] = v;
    const chart = {
      key: entry.key,
      presetId: entry.presetId,
      fields,
      stringFields: entry.stringFields,
      tableKey: entry.tableKey,
    };
    try {
      const preset = await findPreset(deps.store.structured, entry.presetId);
      const columns = await tableColumns(ref, entry.tableKey);
      return { ...chart, spec: renderPreset(preset, entry, columns) };
    } catch (error) {
      if (!(error instanceof StepwiseError) || error.httpStatus >= 500) throw error;
      return { ...chart, spec: null, problem: error.message };
    }
  }

  /** The columns of the chart's latest table, when it is stored (else the check waits for it). */
  async function tableColumns(ref: RunRef, key: string): Promise<string[] | undefined> {
    try {
      const { reader } = await tables.open(ref, key, undefined);
      return reader.columns.map((c) => c.name);
    } catch (error) {
      if (error instanceof StepwiseError && error.httpStatus < 500) return undefined;
      throw error;
    }
  }

  return app;
}
