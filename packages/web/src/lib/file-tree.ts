/**
 * A run's flat file list as a folder tree (`a/b/c.txt` → folder `a`, folder `a/b`, file), and the
 * rows the Files tab draws for it: folders first, then files, each sorted by name the way a
 * person counts (`step_2` before `step_10`); a folder carries its size total, its file count and
 * its newest update. Only the rows of open folders are listed, so a run of 10,000 files draws
 * what is open, not everything.
 */
import type { FileDto } from "@stepwise/protocol";

export interface FileTreeFolder {
  kind: "folder";
  /** `""` for the root, else `a/b` (no trailing slash). */
  path: string;
  name: string;
  /** Bytes of every file under it. */
  size: number;
  /** Files under it, at any depth. */
  count: number;
  /** The newest `updatedAt` under it (Unix seconds); 0 when empty. */
  updatedAt: number;
  children: FileTreeNode[];
}

export interface FileTreeFile {
  kind: "file";
  path: string;
  name: string;
  file: FileDto;
}

export type FileTreeNode = FileTreeFolder | FileTreeFile;

export interface FileTreeRow {
  node: FileTreeNode;
  /** 0 for the root's children. */
  depth: number;
  /** For a folder: whether its children follow. */
  open: boolean;
  /** The folder this row is in (`""` at the top). */
  parent: string;
}

const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

export function buildFileTree(files: readonly FileDto[]): FileTreeFolder {
  const root = emptyFolder("", "");
  const folders = new Map<string, FileTreeFolder>([["", root]]);
  for (const file of files) {
    const segments = file.path.split("/");
    const chain = [root];
    let parent = root;
    for (let i = 0; i < segments.length - 1; i++) {
      const path = segments.slice(0, i + 1).join("/");
      let folder = folders.get(path);
      if (folder === undefined) {
        folder = emptyFolder(path, segments[i] ?? path);
        folders.set(path, folder);
        parent.children.push(folder);
      }
      chain.push(folder);
      parent = folder;
    }
    parent.children.push({ kind: "file", path: file.path, name: segments[segments.length - 1] ?? "", file });
    for (const folder of chain) {
      folder.size += file.size;
      folder.count += 1;
      folder.updatedAt = Math.max(folder.updatedAt, file.updatedAt);
    }
  }
  for (const folder of folders.values()) folder.children.sort(compareNodes);
  return root;
}

/** The rows shown when the folders in `open` are open (a folder inside a closed one stays hidden). */
export function visibleRows(root: FileTreeFolder, open: ReadonlySet<string>): FileTreeRow[] {
  const rows: FileTreeRow[] = [];
  const walk = (folder: FileTreeFolder, depth: number): void => {
    for (const node of folder.children) {
      const isOpen = node.kind === "folder" && open.has(node.path);
      rows.push({ node, depth, open: isOpen, parent: folder.path });
      if (node.kind === "folder" && isOpen) walk(node, depth + 1);
    }
  };
  walk(root, 0);
  return rows;
}

/** The folders that hold `path`, outermost first: `a/b/c.txt` → `a`, `a/b`. */
export function ancestorFolders(path: string): string[] {
  const segments = path.split("/");
  return segments.slice(0, -1).map((_, i) => segments.slice(0, i + 1).join("/"));
}

/**
 * Folders to open when the tab first shows: level by level while the rows stay at most
 * `maxRows`, so a small run shows everything and a large one shows its top level.
 */
export function initiallyOpen(root: FileTreeFolder, maxRows = 60): Set<string> {
  const open = new Set<string>();
  let rows = root.children.length;
  let level = root.children.filter(isFolder);
  while (level.length > 0) {
    const added = level.reduce((sum, folder) => sum + folder.children.length, 0);
    if (rows + added > maxRows) break;
    rows += added;
    for (const folder of level) open.add(folder.path);
    level = level.flatMap((folder) => folder.children.filter(isFolder));
  }
  return open;
}

function isFolder(node: FileTreeNode): node is FileTreeFolder {
  return node.kind === "folder";
}

function emptyFolder(path: string, name: string): FileTreeFolder {
  return { kind: "folder", path, name, size: 0, count: 0, updatedAt: 0, children: [] };
}

function compareNodes(a: FileTreeNode, b: FileTreeNode): number {
  if (a.kind !== b.kind) return a.kind === "folder" ? -1 : 1;
  return collator.compare(a.name, b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}
