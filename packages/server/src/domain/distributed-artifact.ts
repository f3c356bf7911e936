/**
 * Rules of distributed artifacts that do not depend on storage (the store applies them): when
 * two writers' entries for one path agree, how an entry is named in an error, and the texts of
 * the conflicts a client is shown.
 */
import { ArtifactConflictError, isReferenceEntry, type ManifestEntry } from "@stepwise/protocol";

/** The same content: a stored file with the same sha256 and size, or the same reference. */
export function sameContent(a: ManifestEntry, b: ManifestEntry): boolean {
  if (isReferenceEntry(a) || isReferenceEntry(b))
    return (
      isReferenceEntry(a) &&
      isReferenceEntry(b) &&
      a.ref === b.ref &&
      a.digest === b.digest &&
      a.size === b.size
    );
  return a.sha256 === b.sha256 && a.size === b.size;
}

/** An entry's content in a message: `sha256 1a2b3c4d… (12 bytes)` or `reference s3://…`. */
export function describeContent(entry: ManifestEntry): string {
  return isReferenceEntry(entry)
    ? `reference ${entry.ref} (${entry.digest})`
    : `sha256 ${entry.sha256.slice(0, 12)}… (${entry.size} bytes)`;
}

/** The conflict of a path two writers added with different content (kept, then thrown again at finish). */
export interface PathConflict {
  path: string;
  held: string;
  offered: string;
}

export function pathConflictError(
  artifact: string,
  distributedId: string,
  conflict: PathConflict,
): ArtifactConflictError {
  return new ArtifactConflictError(
    { path: conflict.path },
    `distributed artifact '${artifact}' (distributedId '${distributedId}'): the entry '${conflict.path}' was added ` +
      `by two writers with different content (${conflict.held}, then ${conflict.offered}); nothing is committed ` +
      `under this distributedId: have each writer add its own paths (or the same content), and upsert into a new distributedId`,
  );
}

export function finishedConflictError(
  artifact: string,
  distributedId: string,
  version: string,
  path: string,
): ArtifactConflictError {
  return new ArtifactConflictError(
    { path, version },
    `distributed artifact '${artifact}' (distributedId '${distributedId}') was committed as ${version} by finishArtifact; ` +
      `the entry '${path}' added after is not in it: upsert into a new distributedId (then finish that one)`,
  );
}
