/**
 * The routes W&B clients call (docs/wandb.md), outside `/api/v1` because the clients build these
 * paths from `WANDB_BASE_URL` themselves:
 * - `POST /graphql`: the GraphQL API (graphql-endpoint.ts);
 * - `POST /files/:entity/:project/:runId/file_stream`: a run's history, events, console, summary
 *   and exit, into the same `applyBatch` as Stepwise's own SDK;
 * - `PUT /wandb/uploads/:token`: the upload URLs `createRunFiles` hands out (signed: no key);
 * - the artifact uploads and manifests (artifact-routes.ts, signed too).
 * Credentials are W&B's (HTTP Basic, user `api`, the key as password) or Stepwise's; refusals
 * come as `{"errors": [{"message"}]}`, which W&B clients read and show.
 */
import { AuthError, parseExtended, RETRYABLE_ERROR_CODES, StepwiseError } from "@stepwise/protocol";
import type { Context } from "hono";
import { Hono } from "hono";
import { authenticate } from "../auth/authenticate.js";
import { trustsLoopback } from "../auth/loopback.js";
import { assertRunAccess, type Principal } from "../auth/principal.js";
import { contentTypeFor } from "../blob/content-type.js";
import type { AppDeps, AppEnv } from "../http/app-env.js";
import { readBody } from "../http/read-body.js";
import { requestStream } from "../http/request-stream.js";
import { PendingArtifacts } from "./artifact-pending.js";
import { addArtifactRoutes } from "./artifact-routes.js";
import { ConsoleResume } from "./console-resume.js";
import { applyFileStream } from "./file-stream-apply.js";
import { fileStreamBatches } from "./file-stream-batch.js";
import { answerGraphql, graphqlErrors } from "./graphql-endpoint.js";
import { checkedRef } from "./run-identity.js";
import { verifyUploadToken, WANDB_UPLOAD_PATH } from "./upload-urls.js";
import type { WandbContext } from "./wandb-context.js";
import { WandbInputError } from "./wandb-errors.js";

export function wandbRoutes(deps: AppDeps, log: (line: string) => void): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const trustLoopback = trustsLoopback(deps.config);
  const consoleResume = new ConsoleResume(deps.store.wandb, deps.now);
  const artifacts = new PendingArtifacts(deps.store.wandb);

  const context = async (c: Context<AppEnv>): Promise<WandbContext> => {
    const principal: Principal = await authenticate(deps.store, {
      authorization: c.req.header("authorization"),
      remoteAddress: c.env.incoming?.socket.remoteAddress,
      trustLoopback,
      now: deps.now(),
    });
    return { deps, principal, origin: new URL(c.req.url).origin, log, consoleResume, artifacts };
  };

  app.post("/graphql", (c) =>
    answered(log, async () => {
      const ctx = await context(c);
      const body = await readBody(c.req.raw, deps.config);
      return answerGraphql(body.toString("utf8"), ctx);
    }),
  );

  // `wandb sync` of an offline run knows no entity: its URL has an empty one (the key's entity).
  const fileStream = (c: Context<AppEnv>, entity: string | null): Promise<Response> =>
    answered(log, async () => {
      const ctx = await context(c);
      const ref = checkedRef({
        entity: entity ?? ctx.principal.entity,
        project: c.req.param("project") ?? "",
        runId: c.req.param("runId") ?? "",
      });
      assertRunAccess(ctx.principal, ref);
      const text = (await readBody(c.req.raw, deps.config)).toString("utf8");
      let body: unknown;
      try {
        body = text.trim() === "" ? {} : parseExtended(text);
      } catch {
        return graphqlErrors(400, "the file_stream body must be JSON");
      }
      const now = deps.now();
      const batches = fileStreamBatches(body, now);
      const console = batches.streams.console;
      if (console !== undefined) console.offset = await consoleResume.offset(ref, console.offset);
      if (batches.last?.exit !== undefined) await consoleResume.ended(ref);
      for (const line of batches.dropped)
        log(`W&B file_stream for ${ref.entity}/${ref.project}/${ref.runId}: ${line}`);
      deps.onIngest?.();
      const run = await applyFileStream(deps.store, ref, batches, now, log);
      return Response.json({ stopped: run.stopRequested });
    });
  app.post("/files/:entity/:project/:runId/file_stream", (c) => fileStream(c, c.req.param("entity")));
  app.post("/files//:project/:runId/file_stream", (c) => fileStream(c, null));

  app.put(`${WANDB_UPLOAD_PATH}/:token`, (c) =>
    answered(log, async () => {
      const { ref, path } = verifyUploadToken(
        deps.urls,
        c.req.param("token"),
        { expires: c.req.query("expires"), signature: c.req.query("signature") },
        deps.now(),
      );
      // W&B sends a file in one PUT (a checkpoint may be GBs), streamed to disk: the file limit applies.
      const body = requestStream(c.req.raw, { gzip: false, maxBodyBytes: deps.config.maxFileBytes });
      const file = await deps.files.putWhole(
        ref,
        path,
        body,
        contentTypeFor(path),
        undefined,
        deps.config.maxFileBytes,
      );
      return Response.json({ name: path, sizeBytes: file.size });
    }),
  );

  addArtifactRoutes(app, deps, artifacts, log);
  return app;
}

/**
 * The handler's answer, or its failure in W&B's shape: 401/403 for credentials, 400 for what the
 * client sent, 503 with Retry-After for what is worth retrying (a full disk), and 500 (retried by
 * the clients) for anything else, logged.
 */
export async function answered(
  log: (line: string) => void,
  handler: () => Promise<Response>,
): Promise<Response> {
  try {
    return await handler();
  } catch (error) {
    if (error instanceof AuthError) return graphqlErrors(error.httpStatus, error.message);
    if (error instanceof WandbInputError) return graphqlErrors(400, error.message);
    if (error instanceof StepwiseError) {
      if (RETRYABLE_ERROR_CODES.has(error.code)) {
        const response = graphqlErrors(503, error.message);
        response.headers.set("retry-after", "5");
        return response;
      }
      if (error.httpStatus < 500) return graphqlErrors(error.httpStatus, error.message);
    }
    log(
      `W&B request failed (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return graphqlErrors(500, "internal server error; the server log has the details");
  }
}
