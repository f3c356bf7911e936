/**
 * Expands an absolute glob to the files it matches now, as Python's `glob.glob` does for
 * `wandb.save`: `*` and `?` within one path segment, `[…]` character classes, `**` for any
 * number of folders; a segment that does not start with `.` does not match dot files. Folders
 * are not returned (a run file is a file). Sorted, so that a save is reproducible.
 */
import { readdirSync, statSync, type Dirent } from "node:fs";
import { join, parse, sep } from "node:path";

export function hasGlobMagic(text: string): boolean {
  return /[*?[]/.test(text);
}

export function expandGlob(absolutePattern: string): string[] {
  const { root } = parse(absolutePattern);
  const segments = absolutePattern
    .slice(root.length)
    .split(sep)
    .filter((s) => s !== "");
  const firstMagic = segments.findIndex(hasGlobMagic);
  if (firstMagic === -1) return isFile(absolutePattern) ? [absolutePattern] : [];
  const start = join(root, ...segments.slice(0, firstMagic));
  const found = new Set<string>();
  walk(start, segments.slice(firstMagic), found);
  return [...found].sort();
}

function walk(dir: string, rest: readonly string[], found: Set<string>): void {
  const [segment, ...after] = rest;
  if (segment === undefined) return;
  if (segment === "**") {
    walk(dir, after, found); // zero folders
    for (const entry of entries(dir))
      if (entry.isDirectory() && !entry.name.startsWith(".")) walk(join(dir, entry.name), rest, found);
    return;
  }
  if (!hasGlobMagic(segment)) {
    const path = join(dir, segment);
    if (after.length === 0) {
      if (isFile(path)) found.add(path);
    } else walk(path, after, found);
    return;
  }
  const matcher = segmentMatcher(segment);
  for (const entry of entries(dir)) {
    if (!matcher(entry.name)) continue;
    const path = join(dir, entry.name);
    if (after.length > 0) {
      if (entry.isDirectory() || (entry.isSymbolicLink() && isDirectory(path))) walk(path, after, found);
    } else if (isFile(path)) found.add(path);
  }
}

function segmentMatcher(segment: string): (name: string) => boolean {
  let source = "";
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i] as string;
    if (char === "*") source += ".*";
    else if (char === "?") source += ".";
    else if (char === "[") {
      const close = segment.indexOf("]", i + 2);
      if (close === -1) source += "\\[";
      else {
        const body = segment.slice(i + 1, close);
        source += `[${body.startsWith("!") ? "^" + escapeClass(body.slice(1)) : escapeClass(body)}]`;
        i = close;
      }
    } else source += char.replace(/[.+^${}()|\\\]]/g, "\\$&");
  }
  const regex = new RegExp(`^${source}$`, "s");
  const dotAllowed = segment.startsWith(".");
  return (name) => (dotAllowed || !name.startsWith(".")) && regex.test(name);
}

function escapeClass(body: string): string {
  return body.replace(/[\\\]^]/g, "\\$&");
}

function entries(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
