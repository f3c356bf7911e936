/** `GET /viewer`: who the server takes the caller to be (API keys: api-key-routes.ts). */
import type { ViewerResponse } from "@stepwise/protocol";
import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../app-env.js";
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
      serverId: deps.store.instanceId,
    };
    return extendedJson(viewer);
  });

  return app;
}
