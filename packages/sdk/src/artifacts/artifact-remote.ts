/**
 * Finds a committed artifact version on the server by path (`entity/project/name:alias`, the
 * run's or the client's defaults filling what the path leaves out): its version and manifest,
 * kept in the local cache. A version named by its version name (`v3`, never changed) that an
 * earlier download kept is answered from the cache with no request; when the server cannot be
 * reached, an alias is answered with the version it named then, so cached artifacts are usable
 * offline. A registry path (`entity/model-registry/classifier:production`) is first resolved to
 * the artifact version its link names now (registry-resolve.ts), so `api.artifact` and
 * `run.useArtifact` read (and record a use of) that version, never the registry's name for it.
 */
import {
  artifactVersionDtoSchema,
  artifactPaths,
  parseArtifactPath,
  StepwiseError,
  UsageError,
  VERSION_NAME,
  type ArtifactVersionDto,
  type ManifestEntry,
} from "@stepwise/protocol";
import type { ApiConnection } from "../api/api-connection.js";
import { ApiHttp } from "../api/api-http.js";
import { ArtifactCache } from "./artifact-cache.js";
import { fetchManifest } from "./artifact-download.js";
import { resolveRegistryPath } from "./registry-resolve.js";

export interface ResolvedArtifact {
  version: ArtifactVersionDto;
  entries: ManifestEntry[];
}

export function resolvePath(
  path: string,
  defaults: { entity: string | null; project: string | null },
  call: string,
): { entity: string; project: string; name: string; alias: string } {
  const parsed = parseArtifactPath(path);
  if ("problem" in parsed) throw new UsageError(`${call}: ${parsed.problem}`);
  const entity = parsed.entity ?? defaults.entity;
  const project = parsed.project ?? defaults.project;
  if (entity === null || project === null)
    throw new UsageError(`${call}: '${path}' names no entity/project; pass "entity/project/name:alias"`);
  return { entity, project, name: parsed.name, alias: parsed.alias };
}

export async function resolveArtifact(
  connection: ApiConnection,
  named: { entity: string; project: string; name: string; alias: string },
  cache: ArtifactCache = new ArtifactCache(),
): Promise<ResolvedArtifact> {
  const at = await resolveRegistryPath(connection, named);
  // A version (v3) never changes: one kept by an earlier download is answered with no request.
  if (VERSION_NAME.test(at.alias)) {
    const kept = cache.readManifest(at, at.alias, connection.baseUrl);
    if (kept !== null) return kept;
  }
  try {
    const http = new ApiHttp(connection);
    const version = await http.json(
      "GET",
      artifactPaths.version(at.entity, at.project, at.name, at.alias),
      artifactVersionDtoSchema,
    );
    const cached = cache.readManifest(at, version.version, connection.baseUrl);
    if (cached !== null && cached.version.digest === version.digest) {
      cache.saveManifest(version, cached.entries, at.alias, connection.baseUrl);
      return { version, entries: cached.entries };
    }
    const { entries } = await fetchManifest(connection, version);
    const plain = entries.map(withoutUrl);
    cache.saveManifest(version, plain, at.alias, connection.baseUrl);
    return { version, entries: plain };
  } catch (error) {
    if (!(error instanceof StepwiseError) || error.code !== "UNAVAILABLE") throw error;
    const cached = cache.readManifest(at, at.alias, connection.baseUrl);
    if (cached === null) throw error;
    return cached;
  }
}

/**
 * The manifest of a version the server has just committed (a distributed finish), read from the
 * server, never from the cache: a cached `vN` of the same name may be another server's (or an
 * earlier data directory's) version. Kept in the cache for later reads.
 */
export async function readCommitted(
  connection: ApiConnection,
  version: ArtifactVersionDto,
  cache: ArtifactCache = new ArtifactCache(),
): Promise<ResolvedArtifact> {
  const { entries } = await fetchManifest(connection, version);
  const plain = entries.map(withoutUrl);
  cache.saveManifest(version, plain, version.version, connection.baseUrl);
  return { version, entries: plain };
}

function withoutUrl(entry: ManifestEntry & { url?: string }): ManifestEntry {
  const { url, ...rest } = entry;
  void url;
  return rest;
}
