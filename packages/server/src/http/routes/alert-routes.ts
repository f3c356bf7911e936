/**
 * Alerts raised by runs (`run.alert`), newest first, each with its delivery state and log:
 * - `GET /alerts?limit=`: recent alerts of every entity the caller may read (the notification list);
 * - `GET /alerts/:entity/:project?limit=`: one project's;
 * - `GET /runs/:entity/:project/:runId/alerts?limit=`: one run's (404 for an unknown run).
 */
import type { AlertListResponse } from "@stepwise/protocol";
import { Hono, type Context } from "hono";
import { assertEntityAccess, assertRunAccess, canAccessEntity } from "../../auth/principal.js";
import type { AppDeps, AppEnv } from "../app-env.js";
import { limitQuery } from "../limit-query.js";
import { plainJson } from "../json-response.js";
import { projectParams, runRefParam } from "../path-params.js";
import { unknownRun } from "../unknown-run.js";

const MAX_LIMIT = 1000;

export function alertRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const alerts = deps.store.alerts;

  app.get("/alerts", async (c) => {
    const principal = c.get("principal");
    const limit = limitParam(c);
    // A key of one entity lists that entity's alerts (the limit counts only those).
    const found = await alerts.listAlerts(principal.admin ? { limit } : { entity: principal.entity, limit });
    const response: AlertListResponse = { alerts: found.filter((a) => canAccessEntity(principal, a.entity)) };
    return plainJson(response);
  });

  app.get("/alerts/:entity/:project", async (c) => {
    const { entity, project } = projectParams(c);
    assertEntityAccess(c.get("principal"), entity);
    const response: AlertListResponse = {
      alerts: await alerts.listAlerts({ entity, project, limit: limitParam(c) }),
    };
    return plainJson(response);
  });

  app.get("/runs/:entity/:project/:runId/alerts", async (c) => {
    const ref = runRefParam(c);
    assertRunAccess(c.get("principal"), ref);
    const limit = limitParam(c);
    if (!(await deps.store.hasRun(ref))) throw unknownRun(ref);
    const response: AlertListResponse = { alerts: await alerts.listAlerts({ run: ref, limit }) };
    return plainJson(response);
  });

  return app;
}

function limitParam(c: Context<AppEnv>): number {
  return limitQuery(c.req.query("limit"), MAX_LIMIT, 100);
}
