/**
 * The check every artifact write makes before it records entries (a whole commit, a distributed
 * upsert or finish): each stored entry's blob is on the server. It runs inside the store's write
 * lock (`whileLocked`), which garbage collection takes too to free a blob nothing references,
 * so an entry never names a blob freed in between. A store that cannot look synchronously (S3)
 * finds out first, outside the lock, which blobs it holds (`prepareBlobs`).
 */
import { ContentMissingError, isReferenceEntry, type ManifestEntry } from "@stepwise/protocol";
import type { AppDeps } from "../app-env.js";

export async function prepareBlobs(deps: AppDeps, entries: readonly ManifestEntry[]): Promise<void> {
  await deps.blobs.prepareLeases?.(
    entries.flatMap((entry) => (isReferenceEntry(entry) ? [] : [entry.sha256])),
  );
}

/** ContentMissingError (409, `details.missing`) naming the blobs the server lacks; renews the others. */
export function assertBlobsHeld(deps: AppDeps, entries: readonly ManifestEntry[], artifact: string): void {
  const missing = new Set<string>();
  for (const entry of entries)
    if (!isReferenceEntry(entry) && !deps.blobs.touchSync(entry.sha256)) missing.add(entry.sha256);
  if (missing.size > 0)
    throw new ContentMissingError(
      [...missing],
      `artifact '${artifact}': the server lacks the content of ${missing.size} entr${missing.size === 1 ? "y" : "ies"}; upload them, then commit again`,
    );
}
