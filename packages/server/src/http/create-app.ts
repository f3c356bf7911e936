/**
 * The HTTP app: the JSON API under `/api/v1`, every API route behind authentication, and the
 * built web UI for every other GET/HEAD path (`web-assets.ts`); every failure answered by
 * `errorResponse` with a typed 4xx (or a 500 for a bug).
 */
import { API_PREFIX, NotFoundError } from "@stepwise/protocol";
import { Hono } from "hono";
import type { AppDeps, AppEnv } from "./app-env.js";
import { trustsLoopback } from "../auth/loopback.js";
import { authMiddleware } from "./auth-middleware.js";
import { loopbackGuard } from "./loopback-guard.js";
import { wellFormedPath } from "./well-formed-path.js";
import { errorResponse } from "./error-response.js";
import { frameHeaders } from "./frame-headers.js";
import { accountRoutes } from "./routes/account-routes.js";
import { alertRoutes } from "./routes/alert-routes.js";
import { artifactRoutes } from "./routes/artifact-routes.js";
import { registryRoutes } from "./routes/registry-routes.js";
import { apiKeyRoutes } from "./routes/api-key-routes.js";
import { embedTokenRoute } from "./routes/embed-token-route.js";
import { entityRoutes } from "./routes/entity-routes.js";
import { fileRoutes } from "./routes/file-routes.js";
import { fileUploadRoutes } from "./routes/file-upload-routes.js";
import { signedBlobRoutes } from "./routes/signed-blob-routes.js";
import { historyRoute } from "./routes/history-route.js";
import { ingestRoute } from "./routes/ingest-route.js";
import { mediaRoutes } from "./routes/media-routes.js";
import { runRoutes } from "./routes/run-routes.js";
import { seriesRoute } from "./routes/series-route.js";
import { structuredRoutes } from "./routes/structured-routes.js";
import { surroundingsRoutes } from "./routes/surroundings-routes.js";
import { webAssets } from "./web-assets.js";
import { wandbRoutes } from "../wandb/wandb-routes.js";

export function createApp(deps: AppDeps, log: (line: string) => void): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.onError((error) => errorResponse(error, log));
  app.notFound((c) =>
    errorResponse(
      new NotFoundError(
        `no endpoint ${c.req.method} ${c.req.path.slice(0, 200)}; see docs/server.md for the API`,
      ),
      log,
    ),
  );
  // First of all: on a server that trusts this machine, web pages of other origins and other
  // host names (DNS rebinding) are refused before anything else runs.
  if (trustsLoopback(deps.config)) app.use("*", loopbackGuard(deps));
  // Only the embeddable run view may be framed by other origins (frame-headers.ts).
  app.use("*", frameHeaders());
  // Signed upload and blob URLs authorise themselves: routed before authentication.
  app.route(API_PREFIX, signedBlobRoutes(deps));
  // W&B's wire protocol (`/graphql`, file_stream, upload URLs): its own paths and error shape.
  app.route("/", wandbRoutes(deps, log));
  const api = new Hono<AppEnv>();
  api.use("*", wellFormedPath());
  api.use("*", authMiddleware(deps));
  for (const routes of [
    accountRoutes(deps),
    apiKeyRoutes(deps, log),
    entityRoutes(deps),
    runRoutes(deps),
    embedTokenRoute(deps),
    ingestRoute(deps),
    seriesRoute(deps),
    historyRoute(deps),
    fileRoutes(deps),
    fileUploadRoutes(deps),
    structuredRoutes(deps),
    mediaRoutes(deps),
    alertRoutes(deps),
    artifactRoutes(deps),
    registryRoutes(deps),
    surroundingsRoutes(deps),
  ])
    api.route("/", routes);
  app.route(API_PREFIX, api);
  // Registered after the API so that API routes match first; it passes `/api/…` on to notFound.
  app.get("*", webAssets(deps.config.webRoot));
  return app;
}
