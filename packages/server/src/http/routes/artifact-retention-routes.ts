/**
 * `POST /artifacts/:entity/:project/:name/retention`: applies a retention policy to a collection
 * on demand (`{ keepLast?, keepAliased?, keepYoungerThanS?, dryRun? }`; rules in
 * domain/artifact-retention.ts). Answers `{ deleted: ["v1", …], kept, bytesFreed, dryRun }`:
 * with `dryRun` nothing changes and `deleted` is what would be; `bytesFreed` counts the content
 * only those versions hold once (GC frees it: `stepwise server --gc` or the scheduled one).
 * `GET /artifact-storage/:entity/:project`: storage used per collection and by the project,
 * each blob counted once (`bytes`) beside the listed sizes (`logicalBytes`).
 */
import { NotFoundError } from "@stepwise/protocol";
import type { Context, Hono } from "hono";
import { z } from "zod";
import { versionsToDelete } from "../../domain/artifact-retention.js";
import type { AppDeps, AppEnv } from "../app-env.js";
import { assertEntityAccess } from "../../auth/principal.js";
import { readJsonBody } from "../json-body.js";
import { projectParams } from "../path-params.js";
import { plainJson } from "../json-response.js";

const retentionBodySchema = z
  .object({
    keepLast: z.number().int().min(1).optional(),
    keepAliased: z.boolean().optional(),
    keepYoungerThanS: z.number().nonnegative().optional(),
    dryRun: z.boolean().default(false),
  })
  .strict();

export function addRetentionRoutes(
  app: Hono<AppEnv>,
  deps: AppDeps,
  collectionOf: (c: Context<AppEnv>) => { entity: string; project: string; name: string },
): void {
  const artifacts = deps.store.artifacts;
  app.get("/artifact-storage/:entity/:project", async (c) => {
    const { entity, project } = projectParams(c);
    assertEntityAccess(c.get("principal"), entity);
    return plainJson(await artifacts.storageUsed(entity, project));
  });
  app.post("/artifacts/:entity/:project/:name/retention", async (c) => {
    const { entity, project, name } = collectionOf(c);
    const body = await readJsonBody(c.req.raw, deps.config, retentionBodySchema);
    const versions = await artifacts.listVersions(entity, project, name);
    if (versions.length === 0)
      throw new NotFoundError(`no artifact collection ${entity}/${project}/${name} with versions`);
    const now = deps.now();
    const doomed = versionsToDelete(versions, body, now);
    const bytesFreed = await artifacts.bytesFreedBy(entity, project, name, doomed);
    if (!body.dryRun)
      for (const version of doomed)
        await artifacts.deleteVersion({ entity, project, name, alias: version }, now);
    return plainJson({
      deleted: doomed,
      kept: versions.length - doomed.length,
      bytesFreed,
      dryRun: body.dryRun,
    });
  });
}
