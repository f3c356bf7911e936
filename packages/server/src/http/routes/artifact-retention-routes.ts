/**
 * `POST /artifacts/:entity/:project/:name/retention`: applies a retention policy to a collection
 * on demand (`{ keepLast?, keepAliased?, keepYoungerThanS?, dryRun? }`; rules in
 * domain/artifact-retention.ts; apply-retention.ts). Answers `{ deleted: ["v1", …], kept,
 * keptBecause: [{ version, reasons }], bytesFreed, dryRun }`: with `dryRun` nothing changes and
 * `deleted` is what would be; a version linked in a registry is always kept (its reason says
 * where); `bytesFreed` counts the content
 * only those versions hold once (GC frees it: `stepwise server --gc` or the scheduled one).
 * Versions past their TTL are deleted with any policy (unless newest, aliased or linked);
 * `{ ttlOnly: true }` (and no rule) applies the TTLs alone.
 * `GET /artifact-storage/:entity/:project`: storage used per collection and by the project,
 * each blob counted once (`bytes`) beside the listed sizes (`logicalBytes`).
 */
import type { Context, Hono } from "hono";
import { z } from "zod";
import { UsageError } from "@stepwise/protocol";
import { applyRetention } from "../../apply-retention.js";
import { TTL_ONLY } from "../../domain/artifact-retention.js";
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
    ttlOnly: z.boolean().default(false),
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
    const { dryRun, ttlOnly, ...policy } = body;
    if (ttlOnly && Object.keys(policy).length > 0)
      throw new UsageError(
        "retention: ttlOnly applies the versions' TTLs alone; send it without other rules",
      );
    const applied = ttlOnly ? TTL_ONLY : policy;
    return plainJson(
      await applyRetention(deps.store, { entity, project, name }, applied, { dryRun, now: deps.now() }),
    );
  });
}
