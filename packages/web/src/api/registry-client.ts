/**
 * The UI's calls for the registry and lineage (protocol registry.ts, server registry-routes.ts):
 * registries, their collections, a collection's linked versions, alias edits, the audit log,
 * where a version is linked, and the lineage graph around a version.
 */
import {
  artifactLinksResponseSchema,
  lineageGraphSchema,
  registryAuditListResponseSchema,
  registryCollectionListResponseSchema,
  registryListResponseSchema,
  registryPaths,
  registryVersionDtoSchema,
  registryVersionListResponseSchema,
  type LineageGraph,
  type RegistryAuditDto,
  type RegistryCollectionDto,
  type RegistrySummaryDto,
  type RegistryVersionDto,
} from "@stepwise/protocol";
import { request } from "./client.js";

export interface RegistryCollectionRef {
  entity: string;
  registry: string;
  collection: string;
}

export async function listRegistries(entity: string, signal?: AbortSignal): Promise<RegistrySummaryDto[]> {
  return (await request(registryListResponseSchema, registryPaths.registries(entity), {}, signal)).registries;
}

export async function listRegistryCollections(
  entity: string,
  registry: string,
  signal?: AbortSignal,
): Promise<RegistryCollectionDto[]> {
  const path = registryPaths.collections(entity, registry);
  return (await request(registryCollectionListResponseSchema, path, {}, signal)).collections;
}

export async function listRegistryVersions(
  ref: RegistryCollectionRef,
  signal?: AbortSignal,
): Promise<RegistryVersionDto[]> {
  const path = registryPaths.versions(ref.entity, ref.registry, ref.collection);
  return (await request(registryVersionListResponseSchema, path, {}, signal)).versions;
}

/** Sets a link's user aliases exactly (each taken from whichever link held it). */
export function setRegistryAliases(
  ref: RegistryCollectionRef,
  version: string,
  aliases: string[],
): Promise<RegistryVersionDto> {
  const path = registryPaths.aliases(ref.entity, ref.registry, ref.collection, version);
  return request(registryVersionDtoSchema, path, { method: "PUT", body: JSON.stringify({ aliases }) });
}

/** The audit log of a registry, or of one collection, newest first. */
export async function getRegistryAudit(
  entity: string,
  registry: string,
  collection: string | null,
  signal?: AbortSignal,
): Promise<RegistryAuditDto[]> {
  const query = collection === null ? "" : `?collection=${encodeURIComponent(collection)}`;
  const path = registryPaths.audit(entity, registry) + query;
  return (await request(registryAuditListResponseSchema, path, {}, signal)).entries;
}

/** Where an artifact version is linked. */
export async function getArtifactLinks(
  ref: { entity: string; project: string; name: string },
  version: string,
  signal?: AbortSignal,
): Promise<RegistryVersionDto[]> {
  const path = registryPaths.linksOf(ref.entity, ref.project, ref.name, version);
  return (await request(artifactLinksResponseSchema, path, {}, signal)).links;
}

export function getLineage(
  ref: { entity: string; project: string; name: string },
  version: string,
  depth: number,
  signal?: AbortSignal,
): Promise<LineageGraph> {
  const path = `${registryPaths.lineage(ref.entity, ref.project, ref.name, version)}?depth=${depth}`;
  return request(lineageGraphSchema, path, {}, signal);
}
