/**
 * The artifact listings on the wire: a project's collections (`GET /artifacts/:entity/:project
 * ?type=`) and a collection's versions, newest first (`GET …/:name/versions`); and a version's
 * tags set after logging. One schema for the server, the SDK's `Api` and the web UI.
 */
import { z } from "zod";
import { ARTIFACT_LIMITS, artifactTagSchema } from "./artifact-names.js";
import { artifactVersionDtoSchema } from "./artifact-versions.js";

export const artifactCollectionDtoSchema = z.object({
  entity: z.string(),
  project: z.string(),
  name: z.string(),
  type: z.string(),
  versionCount: z.number(),
  /** The newest version's name, null when every version was deleted. */
  latest: z.string().nullable(),
  /** Unix seconds. */
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type ArtifactCollectionDto = z.infer<typeof artifactCollectionDtoSchema>;

export const artifactCollectionListSchema = z.object({ collections: z.array(artifactCollectionDtoSchema) });
export const artifactVersionListSchema = z.object({ versions: z.array(artifactVersionDtoSchema) });

/** `PUT …/:name/:alias/tags`: the version's tags, exactly (the limits of tags given at logging). */
export const artifactTagsRequestSchema = z
  .object({ tags: z.array(artifactTagSchema).max(ARTIFACT_LIMITS.artifactAliases) })
  .strict();
