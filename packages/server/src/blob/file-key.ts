/**
 * Where a run file lives in the BlobStore. Each name is percent-encoded with dots escaped too,
 * so an entity, project or run id such as `..` stays one harmless directory name. A name whose
 * encoding is longer than a file system takes (255 bytes: 128 CJK characters encode to 1,152)
 * is stored under `%%` and its SHA-256 instead; no encoded name holds `%%`, so the two never meet.
 */
import { createHash } from "node:crypto";
import type { RunRef } from "@stepwise/protocol";
import { MAX_NAME_BYTES } from "./local-blob-store.js";

export function fileKey(ref: RunRef, path: string): string {
  return ["runs", segment(ref.entity), segment(ref.project), segment(ref.runId), "files", path].join("/");
}

function segment(name: string): string {
  const encoded = encodeURIComponent(name).replaceAll(".", "%2E");
  if (encoded.length <= MAX_NAME_BYTES) return encoded;
  return `%%${createHash("sha256").update(name).digest("hex")}`;
}
