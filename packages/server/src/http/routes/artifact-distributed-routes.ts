/**
 * Distributed artifacts over HTTP (protocol artifact-versions.ts; rules in distributed-artifact-store.ts):
 * - `POST /artifacts/:entity/:project/:name/distributed` (`artifactUpsertRequest`): adds entries
 *   to the pending version of `distributedId`; 200 `{ status: "pending", fileCount }`, or
 *   `committed` with the version when finish already committed every entry sent; 409
 *   CONTENT_MISSING while a stored entry's blob is not on the server; 409 ARTIFACT_CONFLICT for
 *   a path another writer added with other content, or an entry added after the finish;
 * - `POST /artifacts/:entity/:project/:name/distributed/finish` (`artifactFinishRequest`):
 *   commits the pending version: 201 `created`, 200 `unchanged` (the same digest as the latest,
 *   or a finish again: the version the first committed); 404 when nothing was upserted; 409
 *   ARTIFACT_CONFLICT when writers disagreed on a path (nothing committed);
 * - `DELETE /artifacts/:entity/:project/:name/distributed/:distributedId`: forgets it — a pending
 *   version's entries are dropped (their blobs freed by the next GC unless held elsewhere), a
 *   finished one's version stays — and the id can be used again: `{ state, fileCount }`.
 */
import {
  artifactDistributedIdSchema,
  artifactFinishRequestSchema,
  artifactUpsertRequestSchema,
  UsageError,
  type ArtifactCommitResponse,
  type ArtifactUpsertResponse,
} from "@stepwise/protocol";
import type { Context, Hono } from "hono";
import { assertRunAccess } from "../../auth/principal.js";
import type { DistributedArtifactStore } from "../../store/distributed-artifact-store.js";
import type { AppDeps, AppEnv } from "../app-env.js";
import { readJsonBody } from "../json-body.js";
import { parseInput } from "../input-error.js";
import { extendedJson, plainJson } from "../json-response.js";
import { assertBlobsHeld, prepareBlobs } from "./artifact-blob-check.js";

export function addDistributedRoutes(
  app: Hono<AppEnv>,
  deps: AppDeps,
  collectionOf: (c: Context<AppEnv>) => { entity: string; project: string; name: string },
): void {
  const store = (): DistributedArtifactStore => {
    const distributed = deps.store.artifacts.distributed;
    if (distributed === undefined)
      throw new UsageError(
        "this server's storage backend does not support distributed artifacts (upsertArtifact / finishArtifact) yet; use logArtifact, or a server on SQLite",
      );
    return distributed;
  };

  app.post("/artifacts/:entity/:project/:name/distributed", async (c) => {
    const { entity, project, name } = collectionOf(c);
    const body = await readJsonBody(c.req.raw, deps.config, artifactUpsertRequestSchema);
    if (body.run !== null) assertRunAccess(c.get("principal"), body.run);
    await prepareBlobs(deps, body.entries);
    const result = await store().upsertPending({
      entity,
      project,
      name,
      distributedId: body.distributedId,
      type: body.type,
      entries: body.entries,
      aliases: body.aliases,
      tags: body.tags,
      writer: body.run,
      now: deps.now(),
      whileLocked: () => assertBlobsHeld(deps, body.entries, `${entity}/${project}/${name}`),
    });
    const response: ArtifactUpsertResponse = { ...result, distributedId: body.distributedId };
    return extendedJson(response);
  });

  app.delete("/artifacts/:entity/:project/:name/distributed/:distributedId", async (c) => {
    const { entity, project, name } = collectionOf(c);
    const distributedId = parseInput(
      artifactDistributedIdSchema,
      c.req.param("distributedId") ?? "",
      "path.distributedId",
    );
    return plainJson(await store().discardPending({ entity, project, name, distributedId }));
  });

  app.post("/artifacts/:entity/:project/:name/distributed/finish", async (c) => {
    const { entity, project, name } = collectionOf(c);
    const body = await readJsonBody(c.req.raw, deps.config, artifactFinishRequestSchema);
    if (body.run !== null) assertRunAccess(c.get("principal"), body.run);
    const result = await store().finishPending({
      entity,
      project,
      name,
      distributedId: body.distributedId,
      type: body.type,
      description: body.description ?? "",
      metadata: body.metadata ?? {},
      aliases: body.aliases,
      tags: body.tags,
      ttlS: body.ttlS,
      producer: body.run,
      now: deps.now(),
      whileLocked: (entries) => assertBlobsHeld(deps, entries, `${entity}/${project}/${name}`),
    });
    const response: ArtifactCommitResponse = result;
    return extendedJson(response, result.status === "created" ? 201 : 200);
  });
}
