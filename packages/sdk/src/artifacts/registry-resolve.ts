/**
 * Artifact paths that name a registry (`entity/model-registry/classifier:production`, protocol
 * registry.ts): the registry's link is resolved to the artifact version it points at, by that
 * version's own name (`v3`, never changed), so what is then read is one version whole even while
 * someone moves the registry alias.
 */
import { registryOfPathSegment, registryPaths, registryVersionDtoSchema } from "@stepwise/protocol";
import type { ApiConnection } from "../api/api-connection.js";
import { ApiHttp } from "../api/api-http.js";

export interface ArtifactAt {
  entity: string;
  project: string;
  name: string;
  alias: string;
}

/** `at` itself, or, when its project names a registry, the artifact version the registry link names now. */
export async function resolveRegistryPath(connection: ApiConnection, at: ArtifactAt): Promise<ArtifactAt> {
  const registry = registryOfPathSegment(at.project);
  if (registry === null) return at;
  const link = await new ApiHttp(connection).json(
    "GET",
    registryPaths.version(at.entity, registry, at.name, at.alias),
    registryVersionDtoSchema,
  );
  const { entity, project, name, version } = link.artifact;
  return { entity, project, name, alias: version };
}
