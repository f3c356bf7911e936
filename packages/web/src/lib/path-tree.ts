/**
 * A flat list of items with `/`-separated paths as a folder tree (`a/b/c.txt` → folder `a`,
 * folder `a/b`, leaf), whatever the leaf carries (a run's file, an artifact's manifest entry):
 * folders first, then leaves, each sorted by name the way a person counts (`step_2` before
 * `step_10`); a folder carries the size total, the leaf count and the newest time of what is
 * under it at any depth. Only the rows of open folders are listed, so 10,000 leaves draw what is
 * open, not everything.
 */

export interface PathFolder<T> {
  kind: "folder";
  /** `""` for the root, else `a/b` (no trailing slash). */
  path: string;
  name: string;
  /** Bytes of every leaf under it. */
  size: number;
  /** Leaves under it, at any depth. */
  count: number;
  /** The newest leaf time under it (Unix seconds); 0 when empty or when leaves carry no time. */
  updatedAt: number;
  children: PathNode<T>[];
}

export interface PathLeaf<T> {
  kind: "file";
  path: string;
  name: string;
  item: T;
}

export type PathNode<T> = PathFolder<T> | PathLeaf<T>;

/** One drawn row. */
export interface PathTreeRow<T> {
  node: PathNode<T>;
  /** 0 for the root's children. */
  depth: number;
  /** For a folder: whether its children follow. */
  open: boolean;
  /** The folder this row is in (`""` at the top). */
  parent: string;
}

/** How to read a leaf: its path, the bytes it adds to its folders, and its time if it has one. */
export interface LeafReader<T> {
  path: (item: T) => string;
  size: (item: T) => number;
  updatedAt?: (item: T) => number;
}

const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

export function buildPathTree<T>(items: readonly T[], read: LeafReader<T>): PathFolder<T> {
  const root = emptyFolder<T>("", "");
  const folders = new Map<string, PathFolder<T>>([["", root]]);
  for (const item of items) {
    const itemPath = read.path(item);
    const segments = itemPath.split("/");
    const chain = [root];
    let parent = root;
    for (let i = 0; i < segments.length - 1; i++) {
      const path = segments.slice(0, i + 1).join("/");
      let folder = folders.get(path);
      if (folder === undefined) {
        folder = emptyFolder<T>(path, segments[i] ?? path);
        folders.set(path, folder);
        parent.children.push(folder);
      }
      chain.push(folder);
      parent = folder;
    }
    parent.children.push({ kind: "file", path: itemPath, name: segments[segments.length - 1] ?? "", item });
    const size = read.size(item);
    const updatedAt = read.updatedAt?.(item) ?? 0;
    for (const folder of chain) {
      folder.size += size;
      folder.count += 1;
      folder.updatedAt = Math.max(folder.updatedAt, updatedAt);
    }
  }
  for (const folder of folders.values()) folder.children.sort(compareNodes);
  return root;
}

/** The rows shown when `isOpen` says which folders are open (a folder inside a closed one stays hidden). */
export function pathTreeRows<T>(root: PathFolder<T>, isOpen: (path: string) => boolean): PathTreeRow<T>[] {
  const rows: PathTreeRow<T>[] = [];
  const walk = (folder: PathFolder<T>, depth: number): void => {
    for (const node of folder.children) {
      const open = node.kind === "folder" && isOpen(node.path);
      rows.push({ node, depth, open, parent: folder.path });
      if (node.kind === "folder" && open) walk(node, depth + 1);
    }
  };
  walk(root, 0);
  return rows;
}

export function isPathFolder<T>(node: PathNode<T>): node is PathFolder<T> {
  return node.kind === "folder";
}

function emptyFolder<T>(path: string, name: string): PathFolder<T> {
  return { kind: "folder", path, name, size: 0, count: 0, updatedAt: 0, children: [] };
}

function compareNodes<T>(a: PathNode<T>, b: PathNode<T>): number {
  if (a.kind !== b.kind) return a.kind === "folder" ? -1 : 1;
  return collator.compare(a.name, b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}
