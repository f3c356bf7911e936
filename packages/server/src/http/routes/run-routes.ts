/** Runs: list (GET with simple filters, POST with full filters), detail, and edits (PATCH). */
import {
  runListBodySchema,
  runListParamsSchema,
  updateRunBodySchema,
  type RunListResponse,
  type UpdateRunBody,
} from "@stepwise/protocol";
import { Hono } from "hono";
import { assertEntityAccess, assertRunAccess } from "../../auth/principal.js";
import type { RunListQuery, RunPatch } from "../../store/store.js";
import type { AppDeps, AppEnv } from "../app-env.js";
import { checkValues } from "../batch-limits.js";
import { parseInput } from "../input-error.js";
import { readJsonBody } from "../json-body.js";
import { extendedJson } from "../json-response.js";
import { projectParams, runRefParam } from "../path-params.js";
import { toRunDto } from "../run-dto.js";
import { queryFromBody, queryFromParams } from "../run-list-query.js";
import { unknownRun } from "../unknown-run.js";

export function runRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  const list = async (query: RunListQuery): Promise<Response> => {
    const page = await deps.store.listRuns(query);
    const body: RunListResponse = {
      runs: page.runs.map(toRunDto),
      total: page.total,
      nextCursor: page.nextCursor,
    };
    return extendedJson(body);
  };

  app.get("/runs/:entity/:project", async (c) => {
    const { entity, project } = projectParams(c);
    assertEntityAccess(c.get("principal"), entity);
    const params = parseInput(runListParamsSchema, c.req.query(), "query");
    return list(queryFromParams(entity, project, params));
  });

  app.post("/runs/:entity/:project", async (c) => {
    const { entity, project } = projectParams(c);
    assertEntityAccess(c.get("principal"), entity);
    const body = await readJsonBody(c.req.raw, deps.config, runListBodySchema);
    return list(queryFromBody(entity, project, body));
  });

  app.get("/runs/:entity/:project/:runId", async (c) => {
    const ref = runRefParam(c);
    assertRunAccess(c.get("principal"), ref);
    const run = await deps.store.getRun(ref);
    if (run === null) throw unknownRun(ref);
    return extendedJson(toRunDto(run));
  });

  app.patch("/runs/:entity/:project/:runId", async (c) => {
    const ref = runRefParam(c);
    assertRunAccess(c.get("principal"), ref);
    const body = await readJsonBody(c.req.raw, deps.config, updateRunBodySchema);
    if (body.config !== undefined) checkValues(body.config, "body.config");
    if (body.summary !== undefined) checkValues(body.summary, "body.summary");
    return extendedJson(toRunDto(await deps.store.updateRun(ref, toRunPatch(body))));
  });

  return app;
}

function toRunPatch(body: UpdateRunBody): RunPatch {
  const patch: RunPatch = {};
  if (body.name !== undefined) patch.name = body.name;
  if (body.tags !== undefined) patch.tags = body.tags;
  if (body.notes !== undefined) patch.notes = body.notes;
  if (body.summary !== undefined) patch.summary = body.summary;
  if (body.config !== undefined) patch.config = body.config;
  if (body.stop === true) patch.stopRequested = true;
  return patch;
}
