/**
 * A run's flat file list as a folder tree (`a/b/c.txt` → folder `a`, folder `a/b`, file), and the
 * rows the Files tab draws for it: folders first, then files, each sorted by name the way a
 * person counts (`step_2` before `step_10`); a folder carries its size total, its file count and
 * its newest update. Only the rows of open folders are listed, so a run of 10,000 files draws
 * what is open, not everything.
 */
import type { FileDto } from "@stepwise/protocol";
import { buildPathTree, isPathFolder, pathTreeRows, type PathFolder, type PathTreeRow } from "./path-tree.js";

export type FileTreeFolder = PathFolder<FileDto>;
export type FileTreeRow = PathTreeRow<FileDto>;

export function buildFileTree(files: readonly FileDto[]): FileTreeFolder {
  return buildPathTree(files, {
    path: (file) => file.path,
    size: (file) => file.size,
    updatedAt: (file) => file.updatedAt,
  });
}

/** The rows shown when the folders in `open` are open (a folder inside a closed one stays hidden). */
export function visibleRows(root: FileTreeFolder, open: ReadonlySet<string>): FileTreeRow[] {
  return pathTreeRows(root, (path) => open.has(path));
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
  let level = root.children.filter(isPathFolder);
  while (level.length > 0) {
    const added = level.reduce((sum, folder) => sum + folder.children.length, 0);
    if (rows + added > maxRows) break;
    rows += added;
    for (const folder of level) open.add(folder.path);
    level = level.flatMap((folder) => folder.children.filter(isPathFolder));
  }
  return open;
}
