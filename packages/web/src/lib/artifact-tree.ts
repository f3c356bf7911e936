/**
 * A version's manifest as a folder tree (`data/train/a.csv` → folder `data`, folder
 * `data/train`, file), folders first then files, each sorted by name the way a person counts;
 * a folder carries its entry count and the bytes of its stored files (a reference whose size is
 * unknown counts nothing, as in the version's own size).
 */
import { isReferenceEntry } from "@stepwise/protocol";
import type { ManifestRow } from "../api/artifact-client.js";

export interface ArtifactFolder {
  kind: "folder";
  /** `""` for the root, else `a/b`. */
  path: string;
  name: string;
  size: number;
  count: number;
  children: ArtifactTreeNode[];
}

export interface ArtifactFile {
  kind: "file";
  path: string;
  name: string;
  entry: ManifestRow;
}

export type ArtifactTreeNode = ArtifactFolder | ArtifactFile;

/** One drawn row: the node and its depth (0 for the root's children). */
export interface ArtifactTreeRow {
  node: ArtifactTreeNode;
  depth: number;
}

const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

/** Bytes an entry adds to a folder's total: a stored file's size, a reference's when known. */
export function entrySize(entry: ManifestRow): number {
  return isReferenceEntry(entry) ? (entry.size ?? 0) : entry.size;
}

export function buildArtifactTree(entries: readonly ManifestRow[]): ArtifactFolder {
  const root = folder("", "");
  const folders = new Map<string, ArtifactFolder>([["", root]]);
  for (const entry of entries) {
    const segments = entry.path.split("/");
    const chain = [root];
    let parent = root;
    for (let i = 0; i < segments.length - 1; i++) {
      const path = segments.slice(0, i + 1).join("/");
      let next = folders.get(path);
      if (next === undefined) {
        next = folder(path, segments[i] ?? path);
        folders.set(path, next);
        parent.children.push(next);
      }
      chain.push(next);
      parent = next;
    }
    parent.children.push({
      kind: "file",
      path: entry.path,
      name: segments[segments.length - 1] ?? "",
      entry,
    });
    const size = entrySize(entry);
    for (const holder of chain) {
      holder.size += size;
      holder.count += 1;
    }
  }
  for (const each of folders.values()) each.children.sort(compareNodes);
  return root;
}

/** The rows to draw with the folders in `closed` closed (every other folder open). */
export function artifactTreeRows(root: ArtifactFolder, closed: ReadonlySet<string>): ArtifactTreeRow[] {
  const rows: ArtifactTreeRow[] = [];
  const walk = (at: ArtifactFolder, depth: number): void => {
    for (const node of at.children) {
      rows.push({ node, depth });
      if (node.kind === "folder" && !closed.has(node.path)) walk(node, depth + 1);
    }
  };
  walk(root, 0);
  return rows;
}

function folder(path: string, name: string): ArtifactFolder {
  return { kind: "folder", path, name, size: 0, count: 0, children: [] };
}

function compareNodes(a: ArtifactTreeNode, b: ArtifactTreeNode): number {
  if (a.kind !== b.kind) return a.kind === "folder" ? -1 : 1;
  return collator.compare(a.name, b.name);
}
