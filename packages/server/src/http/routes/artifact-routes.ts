/**
 * Artifacts over HTTP (the contract is protocol/artifact-versions.ts and artifact-routes.ts; the
 * rules are the store's):
 * - `GET  /artifacts/:entity/:project?type=`: the project's collections;
 * - `GET  /artifacts/:entity/:project/:name/versions`: a collection's versions, newest first;
 * - `POST /artifacts/:entity/:project/:name/versions`: commit a version (`artifactCommitRequest`):
 *   201 `created`, or 200 `unchanged` when the digest equals the latest version's; 409
 *   CONTENT_MISSING (`details.missing`) while a stored entry's blob is not on the server;
 * - `GET  /artifacts/:entity/:project/:name/:alias`: the version a version name or alias names;
 * - `GET  /artifacts/:entity/:project/:name/:alias/manifest?after=&limit=`: its entries in
 *   code-point order of path, each stored one with a signed download URL (one request per
 *   100,000 entries, no request per file);
 * - `PUT  /artifacts/:entity/:project/:name/:alias/aliases`: `{ aliases }` set exactly;
 * - `PUT  /artifacts/:entity/:project/:name/:alias/tags`: `{ tags }` set exactly;
 * - `PUT  /artifacts/:entity/:project/:name/:alias/ttl`: `{ ttlS }` (null: none) sets its TTL;
 * - `POST /artifacts/:entity/:project/:name/:alias/uses`: `{ run }` records a consuming run;
 * - `DELETE /artifacts/:entity/:project/:name/:alias`: soft-deletes the version (answered as it
 *   was); `DELETE /artifacts/:entity/:project/:name`: the collection (`{ deleted: n }`). Blobs
 *   only deleted versions held are freed by the next garbage collection (`stepwise server --gc`);
 * - `POST /artifacts/:entity/:project/:name/retention`: a retention policy applied now
 *   (artifact-retention-routes.ts);
 * - `POST /artifacts/:entity/:project/:name/distributed[/finish]`: distributed artifacts
 *   (artifact-distributed-routes.ts);
 * - `GET  /runs/:entity/:project/:runId/artifacts`: what a run produced and used;
 * - `POST /blob-uploads/:entity/:project`: declares content (`{ size, sha256 }`) tied to no run
 *   file: `stored` at once when the server holds it (any run's or artifact's), else a staged,
 *   resumable upload like a run file's (protocol files.ts; its parts go to the same signed URL).
 */
import { createHash } from "node:crypto";
import {
  artifactCommitRequestSchema,
  artifactNameSchema,
  artifactTagsRequestSchema,
  artifactTtlRequestSchema,
  artifactTypeSchema,
  blobUploadRequestSchema,
  ContentMismatchError,
  isReferenceEntry,
  manifestDigestText,
  NotFoundError,
  runRefSchema,
  type ArtifactCommitResponse,
  type RunRef,
} from "@stepwise/protocol";
import { Hono, type Context } from "hono";
import { z } from "zod";
import { assertEntityAccess, assertRunAccess } from "../../auth/principal.js";
import type { VersionRef } from "../../store/artifact-store.js";
import type { AppDeps, AppEnv } from "../app-env.js";
import { InputError, parseInput } from "../input-error.js";
import { readJsonBody } from "../json-body.js";
import { assertBlobsHeld, prepareBlobs } from "./artifact-blob-check.js";
import { addDistributedRoutes } from "./artifact-distributed-routes.js";
import { addRetentionRoutes } from "./artifact-retention-routes.js";
import { limitQuery } from "../limit-query.js";
import { extendedJson, plainJson } from "../json-response.js";
import { projectParams, runRefParam } from "../path-params.js";

/** Download URLs in a manifest answer stay valid this long (seconds). */
const DOWNLOAD_URL_LIFETIME_S = 6 * 3600;
const MANIFEST_PAGE_MAX = 100_000;

const aliasesBodySchema = z.object({ aliases: z.array(z.string()).max(256) }).strict();
const useBodySchema = z.object({ run: runRefSchema }).strict();

export function artifactRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const artifacts = deps.store.artifacts;

  app.get("/artifacts/:entity/:project", async (c) => {
    const { entity, project } = projectParams(c);
    assertEntityAccess(c.get("principal"), entity);
    const rawType = c.req.query("type");
    const type = rawType === undefined ? undefined : parseInput(artifactTypeSchema, rawType, "query.type");
    return extendedJson({ collections: await artifacts.listCollections(entity, project, type) });
  });

  app.get("/artifacts/:entity/:project/:name/versions", async (c) => {
    const { entity, project, name } = collectionParams(c);
    return extendedJson({ versions: await artifacts.listVersions(entity, project, name) });
  });

  app.post("/artifacts/:entity/:project/:name/versions", async (c) => {
    const { entity, project, name } = collectionParams(c);
    const body = await readJsonBody(c.req.raw, deps.config, artifactCommitRequestSchema);
    const entries = body.manifest.entries;
    const digest = createHash("sha256").update(manifestDigestText(entries)).digest("hex");
    if (digest !== body.digest)
      throw new ContentMismatchError(
        `artifact '${entity}/${project}/${name}': body.digest ${body.digest} is not the sha256 of the manifest's canonical text (${digest}); compute it with manifestDigestText`,
      );
    if (body.run !== null) assertRunAccess(c.get("principal"), body.run);
    await prepareBlobs(deps, entries);
    const result = await artifacts.commitVersion({
      entity,
      project,
      name,
      type: body.type,
      entries,
      digest,
      description: body.description ?? "",
      metadata: body.metadata ?? {},
      aliases: body.aliases,
      tags: body.tags,
      ttlS: body.ttlS,
      producer: body.run,
      now: deps.now(),
      whileLocked: () => assertBlobsHeld(deps, entries, `${entity}/${project}/${name}`),
    });
    const response: ArtifactCommitResponse = result;
    return extendedJson(response, result.status === "created" ? 201 : 200);
  });

  app.get("/artifacts/:entity/:project/:name/:alias", async (c) => {
    const ref = versionParams(c);
    return extendedJson(await requireVersion(ref));
  });

  app.get("/artifacts/:entity/:project/:name/:alias/manifest", async (c) => {
    const ref = versionParams(c);
    const after = c.req.query("after") ?? null;
    const limit = limitQuery(c.req.query("limit"), MANIFEST_PAGE_MAX, 10_000);
    const version = await requireVersion(ref);
    // Read by the version's own name: an alias moved between pages cannot mix two versions.
    const entries = (await artifacts.readManifest({ ...ref, alias: version.version }, after, limit)) ?? [];
    const expiresAt = Math.floor(deps.now()) + DOWNLOAD_URL_LIFETIME_S;
    return extendedJson({
      version,
      entries: entries.map((entry) =>
        isReferenceEntry(entry) ? entry : { ...entry, url: deps.blobs.downloadUrl(entry.sha256, expiresAt) },
      ),
      next: entries.length === limit ? (entries[entries.length - 1]?.path ?? null) : null,
    });
  });

  app.put("/artifacts/:entity/:project/:name/:alias/aliases", async (c) => {
    const ref = versionParams(c);
    const body = await readJsonBody(c.req.raw, deps.config, aliasesBodySchema);
    return extendedJson(await artifacts.setAliases(ref, body.aliases, deps.now()));
  });

  app.put("/artifacts/:entity/:project/:name/:alias/tags", async (c) => {
    const ref = versionParams(c);
    const body = await readJsonBody(c.req.raw, deps.config, artifactTagsRequestSchema);
    return extendedJson(await artifacts.setTags(ref, body.tags));
  });

  app.put("/artifacts/:entity/:project/:name/:alias/ttl", async (c) => {
    const ref = versionParams(c);
    const body = await readJsonBody(c.req.raw, deps.config, artifactTtlRequestSchema);
    return extendedJson(await artifacts.setTtl(ref, body.ttlS));
  });

  app.post("/artifacts/:entity/:project/:name/:alias/uses", async (c) => {
    const ref = versionParams(c);
    const body = await readJsonBody(c.req.raw, deps.config, useBodySchema);
    assertRunAccess(c.get("principal"), body.run);
    return extendedJson(await artifacts.recordUse(body.run, ref, deps.now()));
  });

  app.delete("/artifacts/:entity/:project/:name/:alias", async (c) => {
    const ref = versionParams(c);
    await requireVersion(ref);
    return extendedJson(await artifacts.deleteVersion(ref, deps.now()));
  });

  app.delete("/artifacts/:entity/:project/:name", async (c) => {
    const { entity, project, name } = collectionParams(c);
    return plainJson({ deleted: await artifacts.deleteCollection(entity, project, name, deps.now()) });
  });

  addRetentionRoutes(app, deps, collectionParams);
  addDistributedRoutes(app, deps, collectionParams);

  app.post("/blob-uploads/:entity/:project", async (c) => {
    const { entity, project } = projectParams(c);
    assertEntityAccess(c.get("principal"), entity);
    const body = await readJsonBody(c.req.raw, deps.config, blobUploadRequestSchema);
    return plainJson(await deps.files.declareBlob(entity, project, body.size, body.sha256));
  });

  app.get("/runs/:entity/:project/:runId/artifacts", async (c) => {
    const ref: RunRef = runRefParam(c);
    assertRunAccess(c.get("principal"), ref);
    return extendedJson(await artifacts.runLineage(ref));
  });

  async function requireVersion(ref: VersionRef) {
    const version = await artifacts.resolveVersion(ref);
    if (version === null)
      throw new NotFoundError(
        `no version or alias '${ref.alias}' of artifact ${ref.entity}/${ref.project}/${ref.name}; list them at GET …/${ref.name}/versions`,
      );
    return version;
  }

  return app;
}

function collectionParams(c: Context<AppEnv>): { entity: string; project: string; name: string } {
  const { entity, project } = projectParams(c);
  assertEntityAccess(c.get("principal"), entity);
  return { entity, project, name: parseInput(artifactNameSchema, c.req.param("name") ?? "", "path.name") };
}

function versionParams(c: Context<AppEnv>): VersionRef {
  const alias = c.req.param("alias") ?? "";
  if (!/^[A-Za-z0-9_.-]{1,128}$/.test(alias))
    throw new InputError([{ field: "path.alias", message: "a version name (v3) or an alias" }]);
  return { ...collectionParams(c), alias };
}
