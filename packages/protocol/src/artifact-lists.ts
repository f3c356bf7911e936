/**
 * The artifact listings on the wire: a project's collections (`GET /artifacts/:entity/:project
 * ?type=`) and a collection's versions, newest first (`GET …/:name/versions`). One schema for the
 * server's answer, the SDK's `Api` and the web UI.
 */
import { z } from "zod";
import { artifactVersionDtoSchema } from "./artifacts.js";

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
