/**
 * `artifact.save()` (W&B's name): sends what may change on a logged version — its time to live
 * (`artifact.ttl`), its aliases and its tags — to the server, which answers the version as it is
 * now. Description and metadata stay as logged (they are part of what the digest stands for).
 */
import {
  artifactPaths,
  artifactTtlSchema,
  artifactVersionDtoSchema,
  UsageError,
  type ArtifactVersionDto,
} from "@stepwise/protocol";
import type { ApiConnection } from "../api/api-connection.js";
import { ApiHttp } from "../api/api-http.js";

/** `ttl` when it is null or a whole number of seconds (1 s to 100 years); else UsageError naming `call`. */
export function checkedTtl(ttl: unknown, call: string): number | null {
  const parsed = artifactTtlSchema.safeParse(ttl);
  if (!parsed.success)
    throw new UsageError(
      `${call}: artifact.ttl must be null (kept until deleted) or whole seconds from 1 to 100 years; got ${String(ttl)}`,
    );
  return parsed.data;
}

export async function saveArtifact(
  connection: ApiConnection | null,
  version: ArtifactVersionDto,
  wanted: { ttl: unknown; aliases: readonly string[]; tags: readonly string[] },
): Promise<ArtifactVersionDto> {
  const ttlS = checkedTtl(wanted.ttl, "artifact.save");
  const { entity, project, name } = version;
  if (connection === null)
    throw new UsageError(
      `artifact.save: ${entity}/${project}/${name}:${version.version} has no server known; fetch it with api.artifact() or run.useArtifact()`,
    );
  const http = new ApiHttp(connection);
  const at = artifactPaths.version(entity, project, name, version.version);
  let saved = version;
  if (ttlS !== version.ttlS)
    saved = await http.json("PUT", `${at}/ttl`, artifactVersionDtoSchema, { body: { ttlS } });
  const held = saved.aliases.filter((alias) => alias !== "latest");
  const aliases = [...new Set(wanted.aliases.filter((alias) => alias !== "latest"))];
  if (aliases.length !== held.length || aliases.some((alias) => !held.includes(alias)))
    saved = await http.json("PUT", `${at}/aliases`, artifactVersionDtoSchema, { body: { aliases } });
  const tags = [...new Set(wanted.tags)];
  if (tags.length !== saved.tags.length || tags.some((tag) => !saved.tags.includes(tag)))
    saved = await http.json("PUT", `${at}/tags`, artifactVersionDtoSchema, { body: { tags } });
  return saved;
}
