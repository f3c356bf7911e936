/**
 * The UI's calls for artifacts (protocol artifact-versions.ts, server artifact-routes.ts): a project's
 * collections, a collection's versions, one version, its manifest (every page of it, with a
 * signed download URL per stored file), its aliases, and what a run produced and used. Answers
 * are decoded with the protocol's schemas.
 */
import {
  API_PREFIX,
  artifactCollectionListSchema,
  type ArtifactCollectionDto,
  artifactVersionListSchema,
  artifactStoragePath,
  artifactStorageSchema,
  artifactVersionDtoSchema,
  type ArtifactStorage,
  manifestEntrySchema,
  type ArtifactVersionDto,
  type ManifestEntry,
  type RunRef,
} from "@stepwise/protocol";
import { z } from "zod";
import { request } from "./client.js";

const enc = encodeURIComponent;

export type ArtifactCollection = ArtifactCollectionDto;

/** A manifest entry as the manifest route answers it: a stored one carries its download URL. */
export type ManifestRow = ManifestEntry & { url?: string | undefined };

const manifestPageSchema = z.object({
  version: artifactVersionDtoSchema,
  entries: z.array(z.intersection(manifestEntrySchema, z.object({ url: z.string().optional() }))),
  next: z.string().nullable(),
});
const lineageSchema = z.object({
  produced: z.array(artifactVersionDtoSchema),
  used: z.array(artifactVersionDtoSchema),
});
export type RunArtifacts = z.infer<typeof lineageSchema>;

export interface CollectionRef {
  entity: string;
  project: string;
  name: string;
}

const projectPath = (entity: string, project: string): string =>
  `${API_PREFIX}/artifacts/${enc(entity)}/${enc(project)}`;
const collectionPath = (ref: CollectionRef): string =>
  `${projectPath(ref.entity, ref.project)}/${enc(ref.name)}`;
const versionPath = (ref: CollectionRef, alias: string): string => `${collectionPath(ref)}/${enc(alias)}`;

export async function listArtifactCollections(
  entity: string,
  project: string,
  signal?: AbortSignal,
): Promise<ArtifactCollection[]> {
  return (await request(artifactCollectionListSchema, projectPath(entity, project), {}, signal)).collections;
}

/** A collection's versions, newest first. */
export async function listArtifactVersions(
  ref: CollectionRef,
  signal?: AbortSignal,
): Promise<ArtifactVersionDto[]> {
  return (await request(artifactVersionListSchema, `${collectionPath(ref)}/versions`, {}, signal)).versions;
}

/** Manifest entries read per request (the server allows up to 100,000). */
const MANIFEST_PAGE = 10_000;

/**
 * The version that `alias` (a version name or an alias) names and its whole manifest. Later
 * pages are read by the version's own name, so an alias moved meanwhile cannot mix two versions.
 */
export async function getArtifactManifest(
  ref: CollectionRef,
  alias: string,
  signal?: AbortSignal,
): Promise<{ version: ArtifactVersionDto; entries: ManifestRow[] }> {
  const first = await request(
    manifestPageSchema,
    `${versionPath(ref, alias)}/manifest?limit=${MANIFEST_PAGE}`,
    {},
    signal,
  );
  const entries: ManifestRow[] = [...first.entries];
  let next = first.next;
  while (next !== null) {
    const query = new URLSearchParams({ after: next, limit: String(MANIFEST_PAGE) });
    const page = await request(
      manifestPageSchema,
      `${versionPath(ref, first.version.version)}/manifest?${query.toString()}`,
      {},
      signal,
    );
    entries.push(...page.entries);
    next = page.next;
  }
  return { version: first.version, entries };
}

/** Sets the version's user aliases to exactly `aliases` (each is moved from whichever version held it). */
export async function setArtifactAliases(
  ref: CollectionRef,
  version: string,
  aliases: readonly string[],
): Promise<ArtifactVersionDto> {
  const init = { method: "PUT", body: JSON.stringify({ aliases }) };
  return request(artifactVersionDtoSchema, `${versionPath(ref, version)}/aliases`, init);
}

/** Sets a version's tags to exactly `tags`. */
export async function setArtifactTags(
  ref: CollectionRef,
  version: string,
  tags: readonly string[],
): Promise<ArtifactVersionDto> {
  const init = { method: "PUT", body: JSON.stringify({ tags }) };
  return request(artifactVersionDtoSchema, `${versionPath(ref, version)}/tags`, init);
}

/** The artifact versions a run produced (logged) and used. */
export async function getRunArtifacts(ref: RunRef, signal?: AbortSignal): Promise<RunArtifacts> {
  const path = `${API_PREFIX}/runs/${enc(ref.entity)}/${enc(ref.project)}/${enc(ref.runId)}/artifacts`;
  return request(lineageSchema, path, {}, signal);
}

/** Bytes the project's artifacts store, per collection and in all (content shared counted once). */
export async function getArtifactStorage(
  entity: string,
  project: string,
  signal?: AbortSignal,
): Promise<ArtifactStorage> {
  return request(artifactStorageSchema, artifactStoragePath(entity, project), {}, signal);
}
