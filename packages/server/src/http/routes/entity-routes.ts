/** `GET /entities` and `GET /entities/:entity/projects`: what exists, with counts. */
import type { EntityListResponse, ProjectListResponse } from "@stepwise/protocol";
import { Hono } from "hono";
import { assertEntityAccess, canAccessEntity } from "../../auth/principal.js";
import type { AppDeps, AppEnv } from "../app-env.js";
import { extendedJson } from "../json-response.js";
import { entityParam } from "../path-params.js";

export function entityRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/entities", async (c) => {
    const principal = c.get("principal");
    const entities = (await deps.store.listEntities()).filter((e) => canAccessEntity(principal, e.name));
    const body: EntityListResponse = { entities };
    return extendedJson(body);
  });

  app.get("/entities/:entity/projects", async (c) => {
    const entity = entityParam(c);
    assertEntityAccess(c.get("principal"), entity);
    const body: ProjectListResponse = { projects: await deps.store.listProjects(entity) };
    return extendedJson(body);
  });

  return app;
}
