/**
 * A version's manifest as a folder tree (`data/train/a.csv` → folder `data`, folder
 * `data/train`, file), built by the shared path tree: a folder carries its entry count and the
 * bytes of its stored files (a reference whose size is unknown counts nothing, as in the
 * version's own size). Every folder is open unless closed.
 */
import { isReferenceEntry } from "@stepwise/protocol";
import type { ManifestRow } from "../api/artifact-client.js";
import { buildPathTree, pathTreeRows, type PathFolder, type PathTreeRow } from "./path-tree.js";

export type ArtifactFolder = PathFolder<ManifestRow>;
export type ArtifactTreeRow = PathTreeRow<ManifestRow>;

/** Bytes an entry adds to a folder's total: a stored file's size, a reference's when known. */
export function entrySize(entry: ManifestRow): number {
  return isReferenceEntry(entry) ? (entry.size ?? 0) : entry.size;
}

export function buildArtifactTree(entries: readonly ManifestRow[]): ArtifactFolder {
  return buildPathTree(entries, { path: (entry) => entry.path, size: entrySize });
}

/** The rows to draw with the folders in `closed` closed (every other folder open). */
export function artifactTreeRows(root: ArtifactFolder, closed: ReadonlySet<string>): ArtifactTreeRow[] {
  return pathTreeRows(root, (path) => !closed.has(path));
}
