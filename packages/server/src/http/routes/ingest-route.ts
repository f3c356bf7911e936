/**
 * `POST /runs/:entity/:project/:runId/ingest`: the SDK's one write, as JSON or as a packed body
 * (history rows in binary, `content-type: application/vnd.stepwise.ingest+packed`; the SDK's
 * uploader sends those). The store persists the batch
 * before this answers; a batch that starts past a stream's count is refused with 409 and the
 * offset the server expects, and the client re-sends from there.
 */
import {
  ingestBatchSchema,
  OffsetGapError,
  PACKED_INGEST_CONTENT_TYPE,
  type IngestResponse,
} from "@stepwise/protocol";
import { Hono } from "hono";
import { assertRunAccess } from "../../auth/principal.js";
import type { StoreBatch } from "../../store/store.js";
import type { AppDeps, AppEnv } from "../app-env.js";
import { checkBatchLimits } from "../batch-limits.js";
import { toStoreBatch } from "../history-lines.js";
import { readJsonBody } from "../json-body.js";
import { extendedJson } from "../json-response.js";
import { readPackedIngest } from "../packed-body.js";
import { runRefParam } from "../path-params.js";

export function ingestRoute(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.post("/runs/:entity/:project/:runId/ingest", async (c) => {
    const ref = runRefParam(c);
    assertRunAccess(c.get("principal"), ref);
    const packed = (c.req.header("content-type") ?? "").startsWith(PACKED_INGEST_CONTENT_TYPE);
    const batch = packed
      ? await readPackedIngest(c.req.raw, deps.config)
      : await readJsonBatch(c.req.raw, deps);
    deps.onIngest?.();
    const { run, gap } = await deps.store.applyBatch(ref, batch, deps.now());
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
      serverId: deps.store.instanceId,
    };
    return extendedJson(body);
  });

  return app;
}

async function readJsonBatch(request: Request, deps: AppDeps): Promise<StoreBatch> {
  const batch = await readJsonBody(request, deps.config, ingestBatchSchema);
  checkBatchLimits(batch, "body");
  return toStoreBatch(batch);
}
