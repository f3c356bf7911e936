/**
 * A reference as `artifact.addReference(uri, { name, checksum, maxObjects })` records it before
 * the artifact is sealed: the URI checked to be one, its entry path (`name`, else the URI's last
 * path segment unescaped, else its host), and how it is to be sealed (seal-reference.ts).
 */
import { ARTIFACT_LIMITS, UsageError } from "@stepwise/protocol";
import { entryPath } from "../entry-path.js";

export interface ReferenceOptions {
  /** The entry's path (a folder reference's prefix); default the URI's last path segment. */
  name?: string;
  /** Record what identifies the content (ETag, sha256); false: the URI alone. Default true. */
  checksum?: boolean;
  /** The most objects an S3 folder reference may hold. Default 10,000,000 (a manifest's most). */
  maxObjects?: number;
}

export interface PendingReference {
  path: string;
  uri: string;
  checksum: boolean;
  /** Whether `{ name }` was given: a folder's entries go under `path/`, else at the top. */
  named: boolean;
  maxObjects: number;
}

export function pendingReference(uri: string, options: ReferenceOptions): PendingReference {
  let parsed: URL;
  try {
    parsed = new URL(uri);
  } catch {
    throw new UsageError(`artifact.addReference: '${uri}' is not a URI (file://, http(s)://, s3://, …)`);
  }
  const maxObjects = options.maxObjects ?? ARTIFACT_LIMITS.artifactEntries;
  if (!Number.isSafeInteger(maxObjects) || maxObjects < 1)
    throw new UsageError(`artifact.addReference: maxObjects must be a whole number ≥ 1 (got ${maxObjects})`);
  const last = parsed.pathname
    .split("/")
    .filter((s) => s !== "")
    .pop();
  const path = entryPath(
    options.name ?? (last === undefined ? parsed.hostname : unescaped(last)),
    "addReference",
  );
  return { path, uri, checksum: options.checksum ?? true, named: options.name !== undefined, maxObjects };
}

/** A URI segment as a name: `a%20b.txt` → `a b.txt` (kept as written when not valid escaping). */
function unescaped(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
