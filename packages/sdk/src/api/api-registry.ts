/**
 * The `Api` client's registry and lineage reads (protocol registry.ts): registries and their
 * collections, the versions linked into a collection with their aliases, the audit log, where a
 * version is linked, and lineage both ways — the graph around a version (which runs produced
 * and used it, and onwards) and what a run produced and used.
 */
import {
  artifactLinksResponseSchema,
  artifactPaths,
  lineageGraphSchema,
  registryAuditListResponseSchema,
  registryCollectionListResponseSchema,
  registryListResponseSchema,
  registryPaths,
  registryVersionListResponseSchema,
  runLineageResponseSchema,
  UsageError,
  type ArtifactVersionDto,
  type LineageGraph,
  type RegistryAuditDto,
  type RegistryCollectionDto,
  type RegistrySummaryDto,
  type RegistryVersionDto,
  type RunRef,
} from "@stepwise/protocol";
import { resolvePath } from "../artifacts/artifact-remote.js";
import type { ApiHttp } from "./api-http.js";
import { parseRunPath } from "./run-path.js";

/** `entity/registry/collection`, the registry written as its name (`model`) or path segment (`model-registry`). */
function collectionPath(
  path: string,
  call: string,
): { entity: string; registry: string; collection: string } {
  const parts = path.split("/");
  const [entity, registry, collection] = parts;
  if (parts.length !== 3 || !entity || !registry || !collection)
    throw new UsageError(
      `${call}: '${path}' must be entity/registry/collection (e.g. team/model/classifier)`,
    );
  return { entity, registry: registry.replace(/-registry$/, ""), collection };
}

export class ApiRegistry {
  constructor(private readonly http: ApiHttp) {}

  /** The entity's registries (`model`, `dataset`, …) with their number of collections. */
  async registries(entity: string): Promise<RegistrySummaryDto[]> {
    return (await this.http.json("GET", registryPaths.registries(entity), registryListResponseSchema))
      .registries;
  }

  async collections(entity: string, registry: string): Promise<RegistryCollectionDto[]> {
    const path = registryPaths.collections(entity, registry.replace(/-registry$/, ""));
    return (await this.http.json("GET", path, registryCollectionListResponseSchema)).collections;
  }

  /** The versions linked into `entity/registry/collection`, newest first, with the registry's aliases. */
  async versions(path: string): Promise<RegistryVersionDto[]> {
    const at = collectionPath(path, "api.registryVersions");
    const url = registryPaths.versions(at.entity, at.registry, at.collection);
    return (await this.http.json("GET", url, registryVersionListResponseSchema)).versions;
  }

  /** The audit log of a registry (`entity/registry`) or one collection (`entity/registry/collection`), newest first. */
  async audit(path: string, options: { limit?: number } = {}): Promise<RegistryAuditDto[]> {
    const parts = path.split("/");
    const at =
      parts.length === 2
        ? {
            entity: parts[0] ?? "",
            registry: (parts[1] ?? "").replace(/-registry$/, ""),
            collection: undefined,
          }
        : collectionPath(path, "api.registryAudit");
    const query = { collection: at.collection, limit: options.limit };
    const url = registryPaths.audit(at.entity, at.registry);
    return (await this.http.json("GET", url, registryAuditListResponseSchema, { query })).entries;
  }

  /** Where an artifact version (`entity/project/name:alias`) is linked. */
  async linksOf(path: string): Promise<RegistryVersionDto[]> {
    const at = resolvePath(path, { entity: null, project: null }, "api.artifactLinks");
    const url = registryPaths.linksOf(at.entity, at.project, at.name, at.alias);
    return (await this.http.json("GET", url, artifactLinksResponseSchema)).links;
  }

  /** The lineage graph around an artifact version, `depth` hops of run ↔ artifact (default 3, at most 8). */
  lineage(path: string, options: { depth?: number } = {}): Promise<LineageGraph> {
    const at = resolvePath(path, { entity: null, project: null }, "api.artifactLineage");
    const url = registryPaths.lineage(at.entity, at.project, at.name, at.alias);
    return this.http.json("GET", url, lineageGraphSchema, { query: { depth: options.depth } });
  }

  /**
   * Which runs produced a version and which runs used it: `producedBy` the run that logged (or
   * finished) it, `producers` every run that produced it (a distributed version's writers too).
   */
  async runsOf(path: string): Promise<{ producedBy: RunRef | null; producers: RunRef[]; usedBy: RunRef[] }> {
    const graph = await this.lineage(path, { depth: 1 });
    const runs = new Map<string, RunRef>();
    for (const node of graph.nodes)
      if (node.kind === "run")
        runs.set(node.id, { entity: node.entity, project: node.project, runId: node.runId });
    // The walk adds the edges into the version in the order of its producers: the finisher first.
    const producers = graph.edges.filter((e) => e.to === graph.root).flatMap((e) => runs.get(e.from) ?? []);
    return {
      producedBy: producers[0] ?? null,
      producers,
      usedBy: graph.edges.filter((e) => e.from === graph.root).flatMap((e) => runs.get(e.to) ?? []),
    };
  }

  /** What a run (`entity/project/runId`) produced and used. */
  runArtifacts(path: string): Promise<{ produced: ArtifactVersionDto[]; used: ArtifactVersionDto[] }> {
    const run = parseRunPath(path);
    return this.http.json(
      "GET",
      artifactPaths.runArtifacts(run.entity, run.project, run.runId),
      runLineageResponseSchema,
    );
  }
}
