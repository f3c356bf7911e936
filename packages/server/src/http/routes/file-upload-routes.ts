/**
 * `POST /runs/:entity/:project/:runId/file-uploads`: declares a run file (protocol files.ts).
 * Authorised like every run write. The answer is `stored` (the content was there already: the
 * file is recorded and nothing is sent) or `upload` with a signed URL for the parts, how much
 * of this content the server has from an earlier declaration, and the most bytes per part.
 */
import { fileUploadRequestSchema, type FileUploadResponse } from "@stepwise/protocol";
import { Hono } from "hono";
import { assertRunAccess } from "../../auth/principal.js";
import type { AppDeps, AppEnv } from "../app-env.js";
import { assertStorablePath } from "../file-path-error.js";
import { readJsonBody } from "../json-body.js";
import { plainJson } from "../json-response.js";
import { runRefParam } from "../path-params.js";
import { unknownRun } from "../unknown-run.js";

export function fileUploadRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.post("/runs/:entity/:project/:runId/file-uploads", async (c) => {
    const ref = runRefParam(c);
    assertRunAccess(c.get("principal"), ref);
    const request = await readJsonBody(c.req.raw, deps.config, fileUploadRequestSchema);
    if (!(await deps.store.hasRun(ref))) throw unknownRun(ref);
    assertStorablePath(request.path);
    const answer: FileUploadResponse = await deps.files.declare(ref, request);
    return plainJson(answer);
  });

  return app;
}
