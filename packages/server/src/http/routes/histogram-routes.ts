/**
 * Histograms of a run's history:
 * - `GET /runs/:entity/:project/:runId/histograms`: the histogram keys with count and step range;
 * - `POST /runs/:entity/:project/:runId/histograms/query` (`HistogramQuery`): one key as a heatmap
 *   (domain/histograms/heatmap.ts), over steps or any numeric key as x.
 */
import {
  histogramQuerySchema,
  InvalidDataError,
  NotFoundError,
  type HistogramHeatmap,
  type HistogramKeysResponse,
} from "@stepwise/protocol";
import { Hono } from "hono";
import { assertRunAccess } from "../../auth/principal.js";
import { buildHeatmap } from "../../domain/histograms/heatmap.js";
import { placeHistograms } from "../../domain/histograms/place-histograms.js";
import type { AppDeps, AppEnv } from "../app-env.js";
import { readJsonBody } from "../json-body.js";
import { plainJson } from "../json-response.js";
import { runRefParam } from "../path-params.js";
import { unknownRun } from "../unknown-run.js";

const RUN = "/runs/:entity/:project/:runId";

export function histogramRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const structured = deps.store.structured;

  app.get(`${RUN}/histograms`, async (c) => {
    const ref = runRefParam(c);
    assertRunAccess(c.get("principal"), ref);
    const keys = await structured.listHistogramKeys(ref);
    if (keys === null) throw unknownRun(ref);
    const response: HistogramKeysResponse = { keys };
    return plainJson(response);
  });

  app.post(`${RUN}/histograms/query`, async (c) => {
    const ref = runRefParam(c);
    assertRunAccess(c.get("principal"), ref);
    const query = await readJsonBody(c.req.raw, deps.config, histogramQuerySchema);
    const byStep = query.xAxis === "_step";
    // On the step axis the range bounds the read; on another axis it applies after the join.
    const minStep = byStep && query.xMin !== undefined ? Math.ceil(query.xMin) : 0;
    const maxStep = byStep && query.xMax !== undefined ? Math.floor(query.xMax) : Number.MAX_SAFE_INTEGER;
    const histograms = await structured.readHistograms(ref, query.key, minStep, maxStep);
    if (histograms === null) throw unknownRun(ref);
    if (histograms.length === 0) {
      const keys = (await structured.listHistogramKeys(ref)) ?? [];
      if (!keys.some((k) => k.key === query.key))
        throw new NotFoundError(
          `key: run '${ref.entity}/${ref.project}/${ref.runId}' has no histograms under ${JSON.stringify(query.key)}; its histogram keys: ${
            keys
              .slice(0, 20)
              .map((k) => JSON.stringify(k.key))
              .join(", ") || "none"
          }`,
        );
    }
    let xSeries = null;
    if (!byStep) {
      xSeries = await structured.readSeriesPoints(ref, query.xAxis);
      if (xSeries === null)
        throw new InvalidDataError(
          `xAxis: run '${ref.entity}/${ref.project}/${ref.runId}' has no numeric key ${JSON.stringify(query.xAxis)}; use _step or a logged number`,
        );
    }
    const placed = placeHistograms(histograms, xSeries, query.xMin, query.xMax);
    const response: HistogramHeatmap = {
      run: ref,
      key: query.key,
      xAxis: query.xAxis,
      ...buildHeatmap(placed, query.columns, query.rows),
    };
    return plainJson(response);
  });

  return app;
}
