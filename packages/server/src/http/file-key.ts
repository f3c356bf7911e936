/**
 * Where a run file lives in the BlobStore. Each name is percent-encoded with dots escaped too,
 * so an entity, project or run id such as `..` stays one harmless directory name.
 */
import type { RunRef } from "@stepwise/protocol";

export function fileKey(ref: RunRef, path: string): string {
  return ["runs", segment(ref.entity), segment(ref.project), segment(ref.runId), "files", path].join("/");
}

function segment(name: string): string {
  return encodeURIComponent(name).replaceAll(".", "%2E");
}
