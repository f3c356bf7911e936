/**
 * Storage a project's artifacts use, whatever the store: each collection's stored bytes count
 * each distinct content (sha256) once, however many of its versions or paths hold it; the
 * project's total counts a content once across collections; `logicalBytes` sums the versions'
 * listed sizes. The stores read the rows (live versions only), this adds them up.
 */
import type { ArtifactStorage } from "@stepwise/protocol";

export interface CollectionUse {
  key: number;
  name: string;
  type: string;
  /** Live versions. */
  versions: number;
  /** Their listed sizes, summed. */
  logical: number;
}

/** A content a live version of collection `key` holds (one row per collection and sha256 is enough). */
export interface HeldContent {
  key: number;
  sha256: string;
  size: number;
}

/** `collections` in the order to list them. */
export function countStorage(
  collections: readonly CollectionUse[],
  contents: readonly HeldContent[],
): ArtifactStorage {
  const perCollection = new Map<number, Map<string, number>>();
  const all = new Map<string, number>();
  for (const content of contents) {
    let held = perCollection.get(content.key);
    if (held === undefined) perCollection.set(content.key, (held = new Map<string, number>()));
    held.set(content.sha256, content.size);
    all.set(content.sha256, content.size);
  }
  const sum = (sizes: Map<string, number> | undefined) => {
    let bytes = 0;
    for (const size of sizes?.values() ?? []) bytes += size;
    return bytes;
  };
  const listed = collections.map((c) => ({
    name: c.name,
    type: c.type,
    versions: c.versions,
    bytes: sum(perCollection.get(c.key)),
    logicalBytes: c.logical,
  }));
  return {
    collections: listed,
    bytes: sum(all),
    logicalBytes: listed.reduce((total, c) => total + c.logicalBytes, 0),
  };
}
