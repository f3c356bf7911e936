/**
 * `POST /series`: downsampled series for many runs × keys within a point budget. Plain JSON
 * (the store already turns non-finite points into null), or float64 columns for a client that
 * accepts `application/vnd.stepwise.series+f64` (protocol series-f64.ts). `POST /series/keys`:
 * which series keys the runs have (what the UI makes charts of; unknown runs have none), a page
 * of at most SERIES_KEYS_MAX_LIMIT at a time, optionally only those containing a search text.
 */
import {
  encodeSeriesF64,
  SERIES_F64_CONTENT_TYPE,
  SERIES_KEYS_MAX_LIMIT,
  seriesKeysQuerySchema,
  seriesQuerySchema,
  type SeriesKeysResponse,
  type SeriesResponse,
} from "@stepwise/protocol";
import { Hono } from "hono";
import { assertRunAccess } from "../../auth/principal.js";
import type { SeriesKeysPage, SeriesQuery } from "../../store/store.js";
import type { AppDeps, AppEnv } from "../app-env.js";
import { readJsonBody } from "../json-body.js";
import { plainJson } from "../json-response.js";
import { unknownRun } from "../unknown-run.js";

export function seriesRoute(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.post("/series", async (c) => {
    const body = await readJsonBody(c.req.raw, deps.config, seriesQuerySchema);
    const principal = c.get("principal");
    for (const ref of body.runs) {
      assertRunAccess(principal, ref);
      if (!(await deps.store.hasRun(ref))) throw unknownRun(ref);
    }
    const query: SeriesQuery = { runs: body.runs, keys: body.keys, xAxis: body.xAxis, buckets: body.buckets };
    if (body.xMin !== undefined) query.xMin = body.xMin;
    if (body.xMax !== undefined) query.xMax = body.xMax;
    const response: SeriesResponse = { series: await deps.store.querySeries(query) };
    if ((c.req.header("accept") ?? "").includes(SERIES_F64_CONTENT_TYPE))
      return new Response(encodeSeriesF64(response.series), {
        headers: { "content-type": SERIES_F64_CONTENT_TYPE },
      });
    return plainJson(response);
  });

  app.post("/series/keys", async (c) => {
    const body = await readJsonBody(c.req.raw, deps.config, seriesKeysQuerySchema);
    const principal = c.get("principal");
    for (const ref of body.runs) assertRunAccess(principal, ref);
    const limit = body.limit ?? SERIES_KEYS_MAX_LIMIT;
    const page: SeriesKeysPage = { limit };
    if (body.search !== undefined && body.search !== "") page.search = body.search;
    if (body.cursor !== undefined) page.after = body.cursor;
    const { keys, more } = await deps.store.listSeriesKeys(body.runs, page);
    const response: SeriesKeysResponse = { keys, nextCursor: more ? (keys[keys.length - 1] ?? null) : null };
    return plainJson(response);
  });

  return app;
}
