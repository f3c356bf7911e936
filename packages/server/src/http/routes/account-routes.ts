/** `GET /viewer` (who am I) and `POST /keys` (admins create API keys for an entity). */
import { createApiKeyBodySchema, type CreateApiKeyResponse, type ViewerResponse } from "@stepwise/protocol";
import { Hono } from "hono";
import { generateApiKey } from "../../auth/api-key.js";
import { assertAdmin } from "../../auth/principal.js";
import type { AppDeps, AppEnv } from "../app-env.js";
import { readJsonBody } from "../json-body.js";
import { extendedJson } from "../json-response.js";

export function accountRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/viewer", (c) => {
    const p = c.get("principal");
    const viewer: ViewerResponse = {
      keyId: p.keyId,
      name: p.name,
      entity: p.entity,
      admin: p.admin,
      via: p.via,
    };
    return extendedJson(viewer);
  });

  app.post("/keys", async (c) => {
    assertAdmin(c.get("principal"), "creating API keys");
    const body = await readJsonBody(c.req.raw, deps.config, createApiKeyBodySchema);
    const key = generateApiKey();
    await deps.store.createApiKey(
      {
        id: key.id,
        name: body.name,
        entity: body.entity,
        admin: body.admin,
        createdAt: deps.now(),
        lastUsedAt: null,
      },
      key.secretHash,
    );
    const created: CreateApiKeyResponse = {
      id: key.id,
      key: key.secret,
      name: body.name,
      entity: body.entity,
      admin: body.admin,
    };
    return extendedJson(created, 201);
  });

  return app;
}
