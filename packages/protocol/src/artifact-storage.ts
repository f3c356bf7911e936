/**
 * Storage a project's artifacts use, as `GET /api/v1/artifact-storage/:entity/:project` answers
 * it: per collection and for the project, `bytes` stored by live versions (each file's content
 * counted once, also across collections) beside `logicalBytes`, the sum of the versions' listed
 * sizes. Read by the CLI (`stepwise artifact ls --storage`) and the Artifacts page.
 */
import { z } from "zod";

export const artifactStorageSchema = z.object({
  collections: z.array(
    z.object({
      name: z.string(),
      type: z.string(),
      versions: z.number().int().nonnegative(),
      bytes: z.number().nonnegative(),
      logicalBytes: z.number().nonnegative(),
    }),
  ),
  bytes: z.number().nonnegative(),
  logicalBytes: z.number().nonnegative(),
});
export type ArtifactStorage = z.infer<typeof artifactStorageSchema>;

export function artifactStoragePath(entity: string, project: string): string {
  return `/api/v1/artifact-storage/${encodeURIComponent(entity)}/${encodeURIComponent(project)}`;
}
