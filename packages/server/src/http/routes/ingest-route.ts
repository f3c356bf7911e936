/**
 * `POST /runs/:entity/:project/:runId/ingest`: the SDK's one write. The store persists the batch
 * before this answers; a batch that starts past a stream's count is refused with 409 and the
 * offset the server expects, and the client re-sends from there.
 */
import { ingestBatchSchema, OffsetGapError, type IngestResponse } from "@stepwise/protocol";
import { Hono } from "hono";
import { assertRunAccess } from "../../auth/principal.js";
import type { AppDeps, AppEnv } from "../app-env.js";
import { toStoreBatch } from "../history-lines.js";
import { readJsonBody } from "../json-body.js";
import { extendedJson } from "../json-response.js";
import { runRefParam } from "../path-params.js";

export function ingestRoute(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.post("/runs/:entity/:project/:runId/ingest", async (c) => {
    const ref = runRefParam(c);
    assertRunAccess(c.get("principal"), ref);
    const batch = await readJsonBody(c.req.raw, deps.config, ingestBatchSchema);
    const { run, gap } = await deps.store.applyBatch(ref, toStoreBatch(batch), deps.now());
    if (gap !== null)
      throw new OffsetGapError(
        gap.stream,
        gap.expected,
        `the ${gap.stream} batch starts past what the server has; re-send from offset ${gap.expected}`,
      );
    const body: IngestResponse = {
      next: run.offsets,
      stopped: run.stopRequested,
      state: run.state,
      name: run.name,
    };
    return extendedJson(body);
  });

  return app;
}
