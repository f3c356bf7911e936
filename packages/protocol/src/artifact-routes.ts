/**
 * The artifact routes' URL builders (under the API prefix `/api/v1`), and the declaration of an
 * artifact entry's content to upload (`POST` blob-uploads).
 */
import { z } from "zod";
import { sha256Schema } from "./files.js";

/**
 * `POST {artifactPaths.blobUploads(entity, project)}`: declares content to store by its sha256
 * and size, tied to no run file (an artifact's entries). Answered like a run file's declaration
 * (`FileUploadResponse`, files.ts): `stored` when the server holds that content already (any
 * run's or artifact's; the answer's `file.path` is the sha256), else where to send its parts,
 * resumably, through the same staged uploads as run files.
 */
export const blobUploadRequestSchema = z
  .object({ size: z.number().int().nonnegative(), sha256: sha256Schema })
  .strict();
export type BlobUploadRequest = z.infer<typeof blobUploadRequestSchema>;

const encPart = encodeURIComponent;
/** URL builders of the artifact routes (under the API prefix `/api/v1`). */
export const artifactPaths = {
  blobUploads: (entity: string, project: string): string =>
    `/api/v1/blob-uploads/${encPart(entity)}/${encPart(project)}`,
  collections: (entity: string, project: string): string =>
    `/api/v1/artifacts/${encPart(entity)}/${encPart(project)}`,
  versions: (entity: string, project: string, name: string): string =>
    `${artifactPaths.collections(entity, project)}/${encPart(name)}/versions`,
  version: (entity: string, project: string, name: string, alias: string): string =>
    `${artifactPaths.collections(entity, project)}/${encPart(name)}/${encPart(alias)}`,
  manifest: (entity: string, project: string, name: string, alias: string): string =>
    `${artifactPaths.version(entity, project, name, alias)}/manifest`,
  uses: (entity: string, project: string, name: string, alias: string): string =>
    `${artifactPaths.version(entity, project, name, alias)}/uses`,
  /** `POST` an upsert of a distributed artifact (`artifactUpsertRequest`). */
  distributed: (entity: string, project: string, name: string): string =>
    `${artifactPaths.collections(entity, project)}/${encPart(name)}/distributed`,
  /** `POST` the finish of a distributed artifact (`artifactFinishRequest`): its one version. */
  distributedFinish: (entity: string, project: string, name: string): string =>
    `${artifactPaths.distributed(entity, project, name)}/finish`,
  runArtifacts: (entity: string, project: string, runId: string): string =>
    `/api/v1/runs/${encPart(entity)}/${encPart(project)}/${encPart(runId)}/artifacts`,
};
