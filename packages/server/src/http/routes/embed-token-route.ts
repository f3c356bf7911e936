/**
 * `POST /runs/:entity/:project/:runId/embed-token` (`{ ttlSeconds? }`): a signed, expiring,
 * read-only token for one run (auth/embed-token.ts), for `run.toHtml()` on a server that needs
 * API keys. Anyone who may read the run may make one; the run need not exist yet (the SDK asks
 * as soon as the run starts). An embed token cannot make another (auth/embed-scope.ts).
 */
import { EMBED_TOKEN_DEFAULT_TTL_S, embedTokenBodySchema, type EmbedTokenResponse } from "@stepwise/protocol";
import { Hono } from "hono";
import { issueEmbedToken } from "../../auth/embed-token.js";
import { assertRunAccess } from "../../auth/principal.js";
import type { AppDeps, AppEnv } from "../app-env.js";
import { readJsonBody } from "../json-body.js";
import { plainJson } from "../json-response.js";
import { runRefParam } from "../path-params.js";

export function embedTokenRoute(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.post("/runs/:entity/:project/:runId/embed-token", async (c) => {
    const ref = runRefParam(c);
    assertRunAccess(c.get("principal"), ref);
    const body = await readJsonBody(c.req.raw, deps.config, embedTokenBodySchema);
    const expiresAt = Math.floor(deps.now()) + (body.ttlSeconds ?? EMBED_TOKEN_DEFAULT_TTL_S);
    const response: EmbedTokenResponse = {
      token: issueEmbedToken(deps.urls, { run: ref, expiresAt }),
      expiresAt,
    };
    return plainJson(response);
  });

  return app;
}
