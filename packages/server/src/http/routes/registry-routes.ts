/**
 * The registry and lineage over HTTP (the contract is protocol/registry.ts; the rules are the
 * store's):
 * - `GET    /registries/:entity`: the entity's registries;
 * - `GET    /registries/:entity/:registry`: its collections;
 * - `GET    /registries/:entity/:registry/-/audit?collection=&limit=`: the audit log, newest first;
 * - `GET    /registries/:entity/:registry/:collection/versions`: links, newest first;
 * - `POST   /registries/:entity/:registry/:collection/links`: link an artifact version
 *   (`registryLinkRequest`): 201 a new link, 200 when it was linked there already;
 * - `GET    /registries/:entity/:registry/:collection/:alias`: the link a version or alias names;
 * - `PUT    /registries/:entity/:registry/:collection/:alias/aliases`: `{ aliases }` set exactly;
 * - `DELETE /registries/:entity/:registry/:collection/:alias`: unlink (the artifact stays);
 * - `GET    /artifact-links/:entity/:project/:name/:alias`: where a version is linked;
 * - `GET    /artifact-lineage/:entity/:project/:name/:alias?depth=`: the lineage graph around it.
 * Who the audit log names: the body's run when the SDK sends one, else the API key's id.
 */
import {
  NotFoundError,
  registryAliasesRequestSchema,
  registryLinkRequestSchema,
  registryNameSchema,
  UsageError,
  artifactNameSchema,
  type RunRef,
} from "@stepwise/protocol";
import { Hono, type Context } from "hono";
import { assertEntityAccess, assertRunAccess, type Principal } from "../../auth/principal.js";
import { lineageGraph } from "../../domain/lineage-graph.js";
import type { VersionRef } from "../../store/artifact-store.js";
import type { RegistryStore, RegistryVersionRef } from "../../store/registry-store.js";
import type { AppDeps, AppEnv } from "../app-env.js";
import { InputError, parseInput } from "../input-error.js";
import { readJsonBody } from "../json-body.js";
import { limitQuery } from "../limit-query.js";
import { extendedJson } from "../json-response.js";
import { entityParam, projectParams } from "../path-params.js";

const AUDIT_PAGE_MAX = 10_000;
const LINEAGE_DEPTH_MAX = 8;
/** Nodes of one lineage answer: the page clusters beyond ~20 of a kind, so 2,000 is plenty. */
const LINEAGE_NODES_MAX = 2000;

export function registryRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const registry = (): RegistryStore => {
    if (deps.store.registry === undefined)
      throw new UsageError(
        "this server's store keeps no registry yet (SQLite does); use a SQLite data directory",
      );
    return deps.store.registry;
  };

  app.get("/registries/:entity", async (c) => {
    const entity = entityParam(c);
    assertEntityAccess(c.get("principal"), entity);
    return extendedJson({ registries: await registry().listRegistries(entity) });
  });

  app.get("/registries/:entity/:registry", async (c) => {
    const { entity, registry: name } = registryParams(c);
    return extendedJson({ collections: await registry().listCollections(entity, name) });
  });

  app.get("/registries/:entity/:registry/-/audit", async (c) => {
    const { entity, registry: name } = registryParams(c);
    const raw = c.req.query("collection");
    const collection = raw === undefined ? null : parseInput(artifactNameSchema, raw, "query.collection");
    const limit = limitQuery(c.req.query("limit"), AUDIT_PAGE_MAX, 1000);
    return extendedJson({ entries: await registry().audit(entity, name, collection, limit) });
  });

  app.get("/registries/:entity/:registry/:collection/versions", async (c) => {
    return extendedJson({ versions: await registry().listVersions(collectionParams(c)) });
  });

  app.post("/registries/:entity/:registry/:collection/links", async (c) => {
    const ref = collectionParams(c);
    const body = await readJsonBody(c.req.raw, deps.config, registryLinkRequestSchema);
    // The linked version must be readable by whoever links it.
    assertEntityAccess(c.get("principal"), body.artifact.entity);
    const result = await registry().link({
      ...ref,
      source: body.artifact,
      aliases: body.aliases,
      actor: actorOf(c.get("principal"), body.run),
      now: deps.now(),
    });
    return extendedJson(result, result.status === "created" ? 201 : 200);
  });

  app.get("/registries/:entity/:registry/:collection/:alias", async (c) => {
    const ref = versionParams(c);
    const found = await registry().resolve(ref);
    if (found === null)
      throw new NotFoundError(
        `no version or alias '${ref.alias}' in registry collection ${ref.entity}/${ref.registry}/${ref.collection}; list them at GET …/versions`,
      );
    return extendedJson(found);
  });

  app.put("/registries/:entity/:registry/:collection/:alias/aliases", async (c) => {
    const ref = versionParams(c);
    const body = await readJsonBody(c.req.raw, deps.config, registryAliasesRequestSchema);
    const actor = actorOf(c.get("principal"), body.run);
    return extendedJson(await registry().setAliases(ref, body.aliases, actor, deps.now()));
  });

  app.delete("/registries/:entity/:registry/:collection/:alias", async (c) => {
    const ref = versionParams(c);
    return extendedJson(await registry().unlink(ref, actorOf(c.get("principal"), null), deps.now()));
  });

  app.get("/artifact-links/:entity/:project/:name/:alias", async (c) => {
    return extendedJson({ links: await registry().linksOf(sourceParams(c)) });
  });

  app.get("/artifact-lineage/:entity/:project/:name/:alias", async (c) => {
    const ref = sourceParams(c);
    const rawDepth = c.req.query("depth");
    const depth = rawDepth === undefined ? 3 : limitDepth(rawDepth);
    const start = await deps.store.artifacts.resolveVersion(ref);
    if (start === null)
      throw new NotFoundError(
        `no version or alias '${ref.alias}' of artifact ${ref.entity}/${ref.project}/${ref.name}`,
      );
    const artifacts = deps.store.artifacts;
    const graph = await lineageGraph(
      {
        consumers: (version) => artifacts.consumers({ ...version, alias: version.version }),
        runLineage: (run) => artifacts.runLineage(run),
      },
      start,
      depth,
      LINEAGE_NODES_MAX,
    );
    return extendedJson(graph);
  });

  return app;
}

function actorOf(principal: Principal, run: RunRef | null): string {
  if (run !== null) {
    assertRunAccess(principal, run);
    return `run:${run.entity}/${run.project}/${run.runId}`;
  }
  return principal.keyId !== null
    ? `key:${principal.keyId}`
    : principal.via === "loopback"
      ? "local"
      : principal.name;
}

function limitDepth(raw: string): number {
  const depth = Number(raw);
  if (!/^\d{1,2}$/.test(raw) || depth < 1 || depth > LINEAGE_DEPTH_MAX)
    throw new InputError([
      { field: "query.depth", message: `must be a whole number from 1 to ${LINEAGE_DEPTH_MAX}` },
    ]);
  return depth;
}

function registryParams(c: Context<AppEnv>): { entity: string; registry: string } {
  const entity = entityParam(c);
  assertEntityAccess(c.get("principal"), entity);
  return { entity, registry: parseInput(registryNameSchema, c.req.param("registry") ?? "", "path.registry") };
}

function collectionParams(c: Context<AppEnv>): { entity: string; registry: string; collection: string } {
  const collection = parseInput(artifactNameSchema, c.req.param("collection") ?? "", "path.collection");
  return { ...registryParams(c), collection };
}

function aliasParam(c: Context<AppEnv>): string {
  const alias = c.req.param("alias") ?? "";
  if (!/^[A-Za-z0-9_.-]{1,128}$/.test(alias))
    throw new InputError([{ field: "path.alias", message: "a version name (v3) or an alias" }]);
  return alias;
}

function versionParams(c: Context<AppEnv>): RegistryVersionRef {
  return { ...collectionParams(c), alias: aliasParam(c) };
}

function sourceParams(c: Context<AppEnv>): VersionRef {
  const { entity, project } = projectParams(c);
  assertEntityAccess(c.get("principal"), entity);
  return {
    entity,
    project,
    name: parseInput(artifactNameSchema, c.req.param("name") ?? "", "path.name"),
    alias: aliasParam(c),
  };
}
